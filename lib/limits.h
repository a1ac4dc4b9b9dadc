/* limits.h - every bound tenken puts on hostile input, with the reason for
 * its number. A scanned root may hold anything: a 10 GB "passwd", a FIFO
 * named sudoers, an include loop. Each reader takes its limit from here.
 *
 * Every limit is a message (issue 11): where one is reached, the reader
 * says which file, which limit (its number and its name here) and what
 * was not read, and the facts that depended on what was not read become
 * unknown; a limit never silently shortens a list a rule then passes.
 * tests/unit/test_logging.c (test_limits_are_messages) hits the file
 * count, line length, file size, include depth and log file limits;
 * tests/unit/test_limits.c the size limits through probe_file_error and
 * the line limits of PAM, sudoers, USBGuard, journald.conf and chrony.
 *
 * Where each limit's message is produced. "number": the message gives
 * the limit's value (and "NAME" its name here); "words": it says a limit
 * was hit without its value; "?": no message found at the use site
 * (issue 11 item 6 is open for those). A size limit passed as a constant
 * to fsroot_read/fsroot_read_shared is named by probe_file_error
 * (probes/probe.c) when the caller reports the -EFBIG with it: "PATH:
 * larger than the 16 MiB limit (LIMIT_ACCOUNT_DB in lib/limits.h)".
 *
 *   LIMIT_CONFIG_FILE        probe_file_error; logging.c (confwalk)   number, NAME
 *   LIMIT_ACCOUNT_DB         probe_file_error                        number, NAME
 *   LIMIT_LASTLOG_UID        probes/read/logins.c                    number
 *   LIMIT_WTMP               probes/read/logins.c                    number
 *   LIMIT_WTMP_ROTATIONS     probes/read/logins.c                    number
 *   LIMIT_SQLITE_DB          probes/read/logins.c (source_failed)    ?
 *   LIMIT_SQLITE_ROWS        probes/read/logins.c                    number
 *   LIMIT_SQLITE_STEPS       probes/read/logins.c ("work limit")     words
 *   LIMIT_SQLITE_VALUE       SQLite error, reported as unreadable    ?
 *   LIMIT_LINE               pam_parse.c, sudoers.c, usb.c (usbguard),
 *                            ini.c (journald.conf), logging.c        number, NAME;
 *                            other parsers (modprobe, sshd, apt, nft,
 *                            inetd, accounts, system)                words
 *   LIMIT_DIR_ENTRIES        probe_errno_text (E2BIG)                number
 *   LIMIT_INCLUDE_DEPTH      logging.c                               number, NAME;
 *                            sudoers.c, auth.c, firewall.c, updates.c words
 *   LIMIT_SYMLINKS           probe_errno_text (ELOOP)                words
 *   LIMIT_PATH               probe_errno_text (ENAMETOOLONG);
 *                            timesync_parse.c, logging.c             number, NAME
 *   LIMIT_BASELINE_FILE      engine/ruleset.c                        ?
 *   LIMIT_RULE_DEPTH         engine/compile.c                        number
 *   LIMIT_AUTHORIZED_KEYS    probe_file_error                        number, NAME
 *   LIMIT_PROC_NET           probe_file_error                        number, NAME
 *   LIMIT_SMALL_FILE         probe_file_error                        number, NAME
 *   LIMIT_LINE_MESSAGES      each probe: "N more problems"           count
 *   LIMIT_SUDOERS_FILES/_TOTAL  sudoers.c                            words
 *   LIMIT_ALIAS_DEPTH, LIMIT_ALIAS_EXPANSION(_TOTAL)  sudoers.c      words
 *   LIMIT_DECOMPRESSED, LIMIT_COMPRESSED  updates.c (list_error)     ?
 *   LIMIT_XZ_MEMORY          decompress.c error, as unreadable       ?
 *   LIMIT_PARAGRAPH          updates.c                               ?
 *   LIMIT_DPKG_STATUS        probe_file_error                        number, NAME
 *   LIMIT_RELEASE_FILE       probe_file_error                        number, NAME
 *   LIMIT_PKG_LOG, LIMIT_PKG_LOG_FILES  updates.c                    words
 *   LIMIT_APT_LISTS, LIMIT_APT_PINS  updates.c, apt_parse.c          ?
 *   LIMIT_APT_SOURCES        updates.c                               number
 *   LIMIT_FINDING_TEXT       engine/rules.c: the text ends in "..."  (marked)
 *   LIMIT_PROC_CMDLINE       processes.c: command line unknown       ?
 *   LIMIT_UNIT_DROPINS       services.c                              number
 *   LIMIT_UNITS              services.c                              number
 *   LIMIT_FW_TOKENS, LIMIT_FW_RULES, LIMIT_FW_DEFINE_DEPTH  nft_parse.c  words
 *   LIMIT_FW_CHAINS, LIMIT_FW_JUMP_DEPTH  nft_parse.c                ?
 *   LIMIT_FW_INCLUDE_FILES   firewall.c (confwalk)                   ?
 *   LIMIT_CMD_OUTPUT, LIMIT_CMD_TIMEOUT_MS  firewall.c               words
 *   LIMIT_TCPW_ENTRY         nft_parse.c: entry cut (by design)      none
 *   LIMIT_PAM_FILES, LIMIT_PAM_MODULES  auth.c (stack incomplete)    ?
 *   LIMIT_PAM_DEPTH          auth.c                                  words
 *   LIMIT_RPMDB_FILE         probe_file_error                        number, NAME
 *   LIMIT_RPMDB_PACKAGES     packages.c                              number
 *   LIMIT_RPM_HEADER         rpmdb.c (header skipped)                ?
 *   LIMIT_LOG_CONFIG_FILES   logging.c                               number, NAME
 *   LIMIT_LOG_FILES          logging.c                               number, NAME
 *   LIMIT_EXECUTABLE         executables.c (md5 unknown)             ?
 *   LIMIT_DPKG_LIST          probe_file_error                        number, NAME
 *   LIMIT_SSHD_FILES, LIMIT_SSHD_DIRECTIVES, LIMIT_SSHD_ARGS  sshd_parse.c  words
 *   LIMIT_SSHD_BINARY        probe_file_error                        number, NAME
 *   LIMIT_SSH_ACCOUNTS       ssh.c                                   ?
 *   LIMIT_REPORT_FILE, LIMIT_SIGNATURE_FILE  readfile_error         number
 */
#ifndef TENKEN_LIMITS_H
#define TENKEN_LIMITS_H

/* Default for any text configuration file. The largest real ones seen
 * (sshd_config with comments, login.defs) are under 40 KiB; 4 MiB leaves
 * room for generated configs and still reads in about a millisecond. */
#define LIMIT_CONFIG_FILE (4u << 20)

/* passwd, group, shadow, gshadow: 100,000 accounts at ~100 bytes a line
 * (large LDAP-mirrored hosts) fit in 16 MiB. */
#define LIMIT_ACCOUNT_DB (16u << 20)

/* lastlog is a sparse file indexed by UID (292 bytes per UID), so a host
 * with a user at UID 1,000,000 has a 280 MiB lastlog that is mostly holes.
 * It is never read whole: records are read with pread for the UIDs in
 * passwd only, up to this UID. */
#define LIMIT_LASTLOG_UID 100000000u

/* wtmp grows with every login; a busy server rotates monthly and keeps
 * ~10-50 MiB. It is streamed a chunk at a time (memory does not follow
 * the file), so this bounds work, not memory: 256 MiB is 700,000
 * records. Beyond it only the newest part (the tail) is read, and the
 * probe says so; a compressed rotation stops after this many bytes
 * decoded. */
#define LIMIT_WTMP (256u << 20)

/* Rotations of wtmp read (wtmp.1, wtmp.2.gz, ...): Debian keeps one,
 * an admin who keeps a year of monthly files keeps 12. */
#define LIMIT_WTMP_ROTATIONS 16u

/* lastlog2.db and wtmpdb are SQLite files read into memory; a few MiB in
 * practice. */
#define LIMIT_SQLITE_DB (64u << 20)

/* Rows read from one of those databases. A busy server with 100 logins an
 * hour writes ~876,000 wtmpdb rows a year (wtmpdb rotates monthly by
 * default); lastlog2 has one row per account. Rows are read newest first,
 * so hitting the limit only moves the horizon forward. */
#define LIMIT_SQLITE_ROWS 1000000u

/* SQLite virtual-machine instructions for one query: a backstop against
 * a database crafted to make the query run for ever (views and triggers
 * are already refused). Reading a million wtmpdb rows newest first takes
 * 17 million instructions (1.5 s); a 64 MiB database holds at most a few
 * million rows, so 200 million leaves a wide margin. */
#define LIMIT_SQLITE_STEPS 200000000u

/* The longest string SQLite may hand back: a user name, tty or host is
 * at most a few hundred bytes; longer values are corruption or hostile. */
#define LIMIT_SQLITE_VALUE (1u << 20)

/* One line of a config file. Longer lines are reported and skipped. */
#define LIMIT_LINE 65536u

/* Entries listed in one directory (sudoers.d, home directories). */
#define LIMIT_DIR_ENTRIES 100000u

/* Nested includes (sudoers @includedir, sshd Include): sudo itself stops
 * at 128; real configs use 2-3 levels. */
#define LIMIT_INCLUDE_DEPTH 16

/* Symlinks followed while resolving one path: Linux's own limit is 40. */
#define LIMIT_SYMLINKS 40

/* Path length inside the root. */
#define LIMIT_PATH 4096u

/* A baseline or rule file. Real ones are a few KiB. */
#define LIMIT_BASELINE_FILE (4u << 20)

/* Depth of combinators in a rule condition. */
#define LIMIT_RULE_DEPTH 32

/* authorized_keys: 1 MiB is ~2,000 RSA-4096 keys. */
#define LIMIT_AUTHORIZED_KEYS (1u << 20)

/* /proc/net/fib_trie, if_inet6, route, dev under --root. An end host has a
 * few KiB; a router holding a full Internet table (~1M routes) has a
 * fib_trie of ~100 MiB, which a ledger row does not need: past this the
 * addresses are reported unknown. */
#define LIMIT_PROC_NET (16u << 20)

/* Small single-value files (hostname, machine-id, sysfs attributes,
 * /proc/sys/kernel files): one short line each. 64 KiB bounds a planted
 * giant file without refusing a hostname(5) file with long comments. */
#define LIMIT_SMALL_FILE (64u << 10)

/* Messages about malformed lines, per file: a 100,000-line garbage passwd
 * must not bury the report; the first ones show the pattern and a count
 * says how many more there were. */
#define LIMIT_LINE_MESSAGES 20u

/* sudoers files read through includes in one scan, and their total size.
 * Real hosts have a few dozen small files in sudoers.d; these stop a
 * fan-out (files including the same directory again and again) from
 * reading gigabytes. */
#define LIMIT_SUDOERS_FILES 1024u
#define LIMIT_SUDOERS_TOTAL (64u << 20)

/* sudoers aliases nested in aliases: sudo has no bound, real configs nest
 * two or three deep; this bounds the expander's recursion. */
#define LIMIT_ALIAS_DEPTH 64u

/* Members visited while expanding one sudoers list, and all lists of a
 * scan together. Aliases may repeat an alias (A = B,B,B; B = C,C,C; ...)
 * so a 1 KiB file can expand exponentially; real lists have at most a
 * few hundred members. Each expanded member becomes a JSON string (~100
 * bytes), so the total keeps a hostile file under ~100 MiB of output. */
#define LIMIT_ALIAS_EXPANSION	    65536u
#define LIMIT_ALIAS_EXPANSION_TOTAL (1u << 20)

/* ---- packages and updates (probes/packages.c, probes/updates.c) ---- */

/* One apt package list after decompression. Debian's largest (sid main
 * amd64 Packages) is ~60 MiB, Ubuntu's universe ~70 MiB; 512 MiB leaves
 * room for every archive and still stops a decompression bomb (a 1 MiB
 * .xz of zeros expands to gigabytes). Lists are decoded as a stream, so
 * this bounds work, not memory. */
#define LIMIT_DECOMPRESSED (512u << 20)

/* A compressed list on disk: lists compress 3-10x, so nothing real comes
 * near the decompressed limit. */
#define LIMIT_COMPRESSED (512u << 20)

/* Memory the xz decoder may use. xz -9 needs ~65 MiB to decode; a stream
 * asking for more (its dictionary size is in its header) is refused. */
#define LIMIT_XZ_MEMORY (128u << 20)

/* One deb822 paragraph (a package's stanza). The largest real ones are
 * status stanzas listing thousands of conffiles (~200 KiB); a Packages
 * stanza is a few KiB. */
#define LIMIT_PARAGRAPH (8u << 20)

/* /var/lib/dpkg/status: ~900 bytes per package; 50,000 packages (far
 * beyond any real host) is ~45 MiB. */
#define LIMIT_DPKG_STATUS (128u << 20)

/* Release/InRelease files list every index file with its hashes; Ubuntu's
 * main archive has the largest, ~300 KiB. */
#define LIMIT_RELEASE_FILE (16u << 20)

/* apt's and dpkg's logs (history.log, dpkg.log, rotated and compressed).
 * Only the newest part of a live log is read; rotated logs are read whole
 * up to this size after decompression. A year of daily upgrades writes
 * a few MiB. */
#define LIMIT_PKG_LOG (32u << 20)

/* Rotated logs read per kind (history.log.1 .. .N): logrotate keeps 12
 * monthly history logs by default. */
#define LIMIT_PKG_LOG_FILES 32u

/* Package list files apt may use (one per source, suite, component and
 * architecture); real hosts have under a hundred. */
#define LIMIT_APT_LISTS 4096u

/* Pin stanzas in /etc/apt/preferences(.d). */
#define LIMIT_APT_PINS 10000u

/* Source entries in sources.list(.d). */
#define LIMIT_APT_SOURCES 10000u

/* A finding's rendered subject or message. Templates substitute values
 * from the scanned host (a gecos, a sudoers path) that may be huge; 8 KiB
 * holds any real message many times over, and the rest is cut at a
 * character boundary and marked "...". */
#define LIMIT_FINDING_TEXT 8192u

/* ---- services, processes, listeners, autostart ---- */

/* /proc/PID/cmdline: the kernel keeps a process's arguments and
 * environment within a quarter of its stack limit (2 MiB with the usual
 * 8 MiB stack); past 2 MiB the command line is reported unknown. */
#define LIMIT_PROC_CMDLINE (2u << 20)

/* Drop-in files applied to one unit across all its *.d directories: real
 * units have a handful; this bounds a root with thousands planted. */
#define LIMIT_UNIT_DROPINS 256u

/* Unit names and enablement links considered in one scan: a full desktop
 * has ~1,000 unit files and a few hundred links; past this the rest are
 * reported and ignored (each costs a few hundred bytes of JSON). */
#define LIMIT_UNITS 50000u

/* ---- firewall and auth (probes/firewall.c, probes/auth.c) ---- */

/* nftables configuration tokens lexed from one file: a 4 MiB config is at
 * most ~2 million tokens; real rulesets (even generated ones with a few
 * thousand rules) have under 100,000. */
#define LIMIT_FW_TOKENS 1000000u

/* Chains and rules kept from all firewall sources of one scan. A large
 * generated ruleset (fail2ban, docker, kubernetes) has a few thousand
 * rules; past this the rest is reported and ignored. */
#define LIMIT_FW_CHAINS 10000u
#define LIMIT_FW_RULES	200000u

/* nft `define` values referring to other variables; nft itself refuses
 * recursive definitions, real files nest one or two deep. */
#define LIMIT_FW_DEFINE_DEPTH 16u

/* jump/goto followed from an input chain: the kernel's nftables jump
 * stack holds 16 (NFT_JUMP_STACK_SIZE). */
#define LIMIT_FW_JUMP_DEPTH 16u

/* Files read through nftables includes in one scan: a fan-out of
 * includes (each file including the whole directory again) must not read
 * thousands of files; real hosts include a handful. */
#define LIMIT_FW_INCLUDE_FILES 256u

/* Output of `nft -j list ruleset` and the time it may take. A ruleset of
 * 10,000 rules is ~5 MiB of JSON; nft answers in well under a second. */
#define LIMIT_CMD_OUTPUT     (16u << 20)
#define LIMIT_CMD_TIMEOUT_MS 5000

/* One hosts.allow/hosts.deny entry with its continuation lines: real
 * entries are one line; longer ones are cut (they only need the first
 * two fields to be judged). */
#define LIMIT_TCPW_ENTRY 8192u

/* PAM: files under /etc/pam.d read, include/substack depth (Linux-PAM
 * stops at 16 levels, PAM_SUBSTACK_MAX_LEVEL), and module lines kept per
 * expanded stack (real stacks have under 30). */
#define LIMIT_PAM_FILES	  512u
#define LIMIT_PAM_DEPTH	  16u
#define LIMIT_PAM_MODULES 2000u

/* ---- rpm databases (probes/read/rpmdb.c) ---- */

/* One rpm database file, read whole. A RHEL 8 server with ~1,500
 * packages has a BDB Packages file of 100-250 MiB (headers carry every
 * file's name, digest and mode); rpmdb.sqlite is a little smaller. */
#define LIMIT_RPMDB_FILE (1024u << 20)

/* Packages taken from one database: real hosts have under 10,000. */
#define LIMIT_RPMDB_PACKAGES 200000u

/* One rpm header blob. rpm itself refuses more than 256 MiB of data
 * (HEADER_DATA_MAX); the largest real headers (texlive, kernel-devel)
 * are a few MiB. */
#define LIMIT_RPM_HEADER (64u << 20)

/* Configuration files the logging and time probes read through includes
 * (rsyslog.d, logrotate.d, audit rules.d, chrony conf.d) in one scan.
 * Real hosts have a few dozen; this stops include fan-out (a file
 * including its own directory, a glob matching thousands of files). */
#define LIMIT_LOG_CONFIG_FILES 1024u

/* Log files whose mode, owner and retention the logging probe reports:
 * every file destination of the syslog configuration plus the login
 * records. Real configurations name a few dozen. */
#define LIMIT_LOG_FILES 256u

/* ---- executables (probes/executables.c, probes/read/elf.c) ---- */

/* One executable read whole for its MD5 and ELF headers. Server binaries
 * are a few MiB; the largest common ones (browsers, JVMs, Electron apps
 * on terminals) are 150-250 MiB. Larger files are reported unreadable
 * rather than read. */
#define LIMIT_EXECUTABLE (512u << 20)

/* One dpkg info file (PKG.list, PKG.md5sums). The largest Debian packages
 * (linux-headers, texlive docs) list ~80,000 paths, about 8 MiB. */
#define LIMIT_DPKG_LIST (64u << 20)

/* ---- ssh (probes/ssh.c, probes/parse/sshd_parse.c) ---- */

/* sshd_config files read through Include, counting re-reads: sshd itself
 * has no bound besides its depth of 16, so "Include a a a" fan-out would
 * read 3^16 files. Real hosts read a handful. */
#define LIMIT_SSHD_FILES 1024u

/* Directives kept from all sshd_config files together: a generated
 * 10,000-line config is far beyond real ones; 200,000 bounds memory. */
#define LIMIT_SSHD_DIRECTIVES 200000u

/* Words on one sshd_config line (AllowUsers lists); sshd caps the lists
 * it keeps at a few thousand entries too. */
#define LIMIT_SSHD_ARGS 4096u

/* sshd binary scanned for its "OpenSSH_" version banner when dpkg does
 * not say: the Debian binary is ~1 MiB. */
#define LIMIT_SSHD_BINARY (16u << 20)

/* Accounts whose authorized_keys files are examined. */
#define LIMIT_SSH_ACCOUNTS 100000u

/* A report `tenken verify` checks: the whole file is hashed and parsed
 * in memory. A 200,000-account flood without --max-findings-per-rule
 * makes about 140 MiB (README.md, "Many findings"); 1 GiB leaves room. */
#define LIMIT_REPORT_FILE (1024u << 20)

/* A detached signature: an SSHSIG is under 2 KiB, a CMS with a chain of
 * a few certificates some KiB; 1 MiB refuses only garbage. */
#define LIMIT_SIGNATURE_FILE (1u << 20)

#endif
