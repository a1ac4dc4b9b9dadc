#!/bin/sh
# Fixture roots need some empty directories, which git cannot store:
# tests/run.sh (before the unit tests read the fixtures) and tests/lib.sh
# (for make fixtures-regen and any script run alone) make them.
grep -v '^#' tests/fixtures/empty-dirs.txt | while IFS= read -r d; do
	[ -n "$d" ] && mkdir -p "$d"
done
