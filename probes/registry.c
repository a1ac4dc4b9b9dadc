/* registry.c - the one table of probes, in the order they run.
 *
 * Order matters only where a probe reads facts another one added: system
 * runs first (it fills "host", which later probes may consult).
 *
 */
#include <string.h>
#include "probes/probe.h"

const struct probe probe_table[] = {
    {"system", true, probe_system_run, system_collections,
     "host identity: hostname, machine id, OS, kernel, addresses, hardware (2(1) ledger)"},
    {"accounts", true, probe_accounts_run, accounts_collections,
     "local accounts, groups, shadow state, sudoers, login.defs, last logins, SSH keys"},
    {"packages", true, probe_packages_run, packages_collections,
     "installed packages from dpkg's database; running vs newest installed kernel, reboot "
     "required"},
    /* eol before updates: update_summary says whether the release is past
     * its support (stale lists are then the release's end). */
    {"eol", true, probe_eol_run, eol_collections,
     "OS release (os-release, redhat-release, debian_version) and its end of security support from "
     "baselines/eol.json"},
    {"updates", true, probe_updates_run, updates_collections,
     "pending updates as apt computes them, security updates, age of apt's lists, update history"},
    /* New probes: add entries below this line. */
    {"ssh", true, probe_ssh_run, ssh_collections,
     "sshd effective configuration as sshd computes it (Include, Match, defaults), host keys, "
     "authorized_keys"},
    {"processes", true, probe_processes_run, processes_collections,
     "running processes from /proc: owner, executable (deleted, in /tmp), masked command line, "
     "unit"},
    {"services", true, probe_services_run, services_collections,
     "systemd units and SysV scripts: enablement as systemctl computes it, ExecStart, running "
     "pids"},
    {"listeners", true, probe_listeners_run, listeners_collections,
     "listening TCP and UDP sockets from /proc/net with their owning processes (as ss -tulpn)"},
    {"autostart", true, probe_autostart_run, autostart_collections,
     "cron jobs, systemd timers, XDG autostart; remote-access and VPN software present or running"},
    {"logging", true, probe_logging_run, logging_collections,
     "journald, rsyslog/syslog-ng, logrotate retention, auditd rules, auth log and log file modes"},
    {"time", true, probe_time_run, time_collections,
     "time synchronisation: chrony, systemd-timesyncd, ntpd, openntpd; servers, enabled, running"},
    {"firewall", true, probe_firewall_run, firewall_collections,
     "host firewall (nftables, iptables-persistent, ufw, firewalld; live: nft -j list ruleset): "
     "inbound default deny, ports open to whom; TCP wrappers"},
    /* auth copies login.defs PASS_MAX_DAYS from "login_defs": keep it after accounts. */
    {"auth", true, probe_auth_run, auth_collections,
     "PAM stacks: password length and classes (pwquality), reuse (pwhistory), lockout "
     "(faillock), second-factor modules"},
    {"usb", true, probe_usb_run, usb_collections,
     "USB devices (libudev live, sysfs offline), whether USB storage can work: modprobe.d, "
     "modules, USBGuard, desktop automount"},
    {"wireless", true, probe_wireless_run, wireless_collections,
     "Wi-Fi/Bluetooth radios and rfkill, saved networks (NetworkManager, wpa_supplicant, iwd, "
     "hostapd) without their keys"},
    /* executables reads "processes" and "services": keep it after them, last. */
    {"executables", true, probe_executables_run, executables_collections,
     "executables of processes and services: owning package, MD5 against dpkg, ELF hardening "
     "(PIE, RELRO, NX, canary, FORTIFY, RPATH) as checksec computes it"},
};
const size_t probe_count = ARRAY_SIZE(probe_table);

const struct probe *probe_find(const char *name)
{
	for (size_t i = 0; i < probe_count; i++)
		if (strcmp(probe_table[i].name, name) == 0)
			return &probe_table[i];
	return NULL;
}

const struct collection *collection_find(const char *name, const struct probe **ret_probe)
{
	for (size_t i = 0; i < probe_count; i++) {
		const struct collection *c = probe_table[i].collections;
		for (; c && c->name; c++) {
			if (strcmp(c->name, name) != 0)
				continue;
			if (ret_probe)
				*ret_probe = &probe_table[i];
			return c;
		}
	}
	return NULL;
}

const struct column *column_find(const struct collection *c, const char *name)
{
	for (const struct column *col = c->columns; col && col->name; col++)
		if (strcmp(col->name, name) == 0)
			return col;
	return NULL;
}
