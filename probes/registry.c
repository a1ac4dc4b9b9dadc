/* registry.c - the one table of probes, in the order they run.
 *
 * Order matters only where a probe reads facts another one added: system
 * runs first (it fills "host", which later probes may consult), and a
 * probe's needs (the probes whose collections it reads) stand before it;
 * test_catalog checks that they do.
 *
 */
#include <string.h>
#include "probes/probe.h"

const struct probe probe_table[] = {
    {"system", true, probe_system_run, system_collections,
     "host identity: hostname, machine id, OS, kernel, addresses, hardware (2(1) ledger)",
     "ホストの識別: ホスト名、machine id、OS、カーネル、アドレス、ハードウェア（2(1) 台帳）", NULL},
    {"accounts", true, probe_accounts_run, accounts_collections,
     "local accounts, groups, shadow state, sudoers, login.defs, last logins, SSH keys",
     "ローカルアカウント、グループ、shadow の状態、sudoers、login.defs、最終ログイン、SSH 鍵",
     NULL},
    {"packages", true, probe_packages_run, packages_collections,
     "installed packages from dpkg's database; running vs newest installed kernel, reboot "
     "required",
     "dpkg のデータベースにあるパッケージ。実行中と最新のカーネル、再起動の要否", NULL},
    /* eol before updates: update_summary says whether the release is past
     * its support (stale lists are then the release's end). */
    {"eol", true, probe_eol_run, eol_collections,
     "OS release (os-release, redhat-release, debian_version) and its end of security support from "
     "baselines/eol.json",
     "OS のリリース（os-release 等）と baselines/eol.json によるサポート終了日", NULL},
    {"updates", true, probe_updates_run, updates_collections,
     "pending updates as apt computes them, security updates, age of apt's lists, update history",
     "apt と同じ計算による未適用の更新、セキュリティ更新、パッケージ一覧の古さ、更新履歴",
     (const char *const[]){"eol", NULL}},
    /* New probes: add entries below this line. */
    {"ssh", true, probe_ssh_run, ssh_collections,
     "sshd effective configuration as sshd computes it (Include, Match, defaults), host keys, "
     "authorized_keys",
     "sshd が計算するとおりの有効設定（Include、Match、既定値）、ホスト鍵、authorized_keys", NULL},
    {"processes", true, probe_processes_run, processes_collections,
     "running processes from /proc: owner, executable (deleted, in /tmp), masked command line, "
     "unit",
     "/proc の実行中プロセス: 所有者、実行ファイル（削除済み、/tmp "
     "内）、マスクしたコマンドライン、ユニット",
     NULL},
    {"services", true, probe_services_run, services_collections,
     "systemd units and SysV scripts: enablement as systemctl computes it, ExecStart, running "
     "pids",
     "systemd ユニットと SysV スクリプト: systemctl と同じ有効化状態、ExecStart、実行中の PID",
     (const char *const[]){"processes", NULL}},
    {"listeners", true, probe_listeners_run, listeners_collections,
     "listening TCP and UDP sockets from /proc/net with their owning processes (as ss -tulpn)",
     "/proc/net の待ち受け TCP/UDP ソケットとそのプロセス（ss -tulpn と同じ）",
     (const char *const[]){"processes", NULL}},
    {"autostart", true, probe_autostart_run, autostart_collections,
     "cron jobs, systemd timers, XDG autostart; remote-access and VPN software present or running",
     "cron、systemd タイマー、XDG 自動起動。リモートアクセス・VPN ソフトウェアの有無と実行",
     (const char *const[]){"packages", "processes", "services", NULL}},
    {"logging", true, probe_logging_run, logging_collections,
     "journald, rsyslog/syslog-ng, logrotate retention, auditd rules, auth log and log file modes",
     "journald、rsyslog/syslog-ng、logrotate の保存期間、auditd "
     "のルール、認証ログとログファイルの権限",
     NULL},
    {"time", true, probe_time_run, time_collections,
     "time synchronisation: chrony, systemd-timesyncd, ntpd, openntpd; servers, enabled, running",
     "時刻同期: chrony、systemd-timesyncd、ntpd、openntpd のサーバー、有効化、実行", NULL},
    {"firewall", true, probe_firewall_run, firewall_collections,
     "host firewall (nftables, iptables-persistent, ufw, firewalld; live: nft -j list ruleset): "
     "inbound default deny, ports open to whom; TCP wrappers",
     "ホストのファイアウォール（nftables、iptables-persistent、ufw、firewalld）: "
     "受信の既定拒否、どこに何が開いているか。TCP wrappers",
     NULL},
    {"auth", true, probe_auth_run, auth_collections,
     "PAM stacks: password length and classes (pwquality), reuse (pwhistory), lockout "
     "(faillock), second-factor modules",
     "PAM: "
     "パスワードの長さと文字種（pwquality）、再利用（pwhistory）、ロックアウト（faillock）、二要素"
     "認証モジュール",
     (const char *const[]){"accounts", NULL}},
    {"usb", true, probe_usb_run, usb_collections,
     "USB devices (libudev live, sysfs offline), whether USB storage can work: modprobe.d, "
     "modules, USBGuard, desktop automount",
     "USB デバイスと USB ストレージが使えるか: "
     "modprobe.d、モジュール、USBGuard、デスクトップの自動マウント",
     NULL},
    {"wireless", true, probe_wireless_run, wireless_collections,
     "Wi-Fi/Bluetooth radios and rfkill, saved networks (NetworkManager, wpa_supplicant, iwd, "
     "hostapd) without their keys",
     "Wi-Fi/Bluetooth の無線と rfkill、保存されたネットワーク（鍵は出力しない）", NULL},
    {"executables", true, probe_executables_run, executables_collections,
     "executables of processes and services: owning package, MD5 against dpkg, ELF hardening "
     "(PIE, RELRO, NX, canary, FORTIFY, RPATH) as checksec computes it",
     "プロセスとサービスの実行ファイル: 所有パッケージ、dpkg の MD5 との一致、ELF "
     "の堅牢化（checksec と同じ）",
     (const char *const[]){"processes", "services", NULL}},
};
const size_t probe_count = ARRAY_SIZE(probe_table);

/* What each probe needs to see beyond the mount table: processes hidden by
 * hidepid shorten the process, service, listener and autostart views; a
 * network namespace of its own hides the host's sockets, firewall and
 * interfaces. */
static const struct {
	const char *name;
	unsigned needs;
} sight[] = {
    {"processes", VIS_PROCS}, {"services", VIS_PROCS},	  {"listeners", VIS_NET | VIS_PROCS},
    {"autostart", VIS_PROCS}, {"executables", VIS_PROCS}, {"firewall", VIS_NET},
    {"wireless", VIS_NET},
};

unsigned probe_sight(const struct probe *p)
{
	for (size_t i = 0; i < ARRAY_SIZE(sight); i++)
		if (strcmp(sight[i].name, p->name) == 0)
			return sight[i].needs;
	return 0;
}

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
