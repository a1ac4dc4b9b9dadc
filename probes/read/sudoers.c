/* sudoers.c - reader for sudoers(5): lexer, parser, alias expansion and
 * the include walk. The output contract is in probes/read/sudoers.h.
 *
 * The lexer follows sudo's own (plugins/sudoers/toke.l): a line splits
 * into words and punctuation, except after a command path, where the rest
 * up to an unescaped ':' ',' '=' or '#' is the command's arguments. A
 * backslash before the newline continues a line; '#' starts a comment
 * unless a digit follows ("#1000" is a uid); a NUL byte ends its physical
 * line, as sudo's reader does. The grammar (gram.y) is followed for user
 * specifications, aliases and includes; of a Defaults line the binding
 * and the authenticate flag are kept, the other parameters skipped. A bad line is reported and
 * skipped, as sudo >= 1.9.4 does with its error recovery.
 *
 * Aliases are expanded when entries are produced, not while parsing:
 * sudo lets a rule use an alias defined further down, or in a file
 * included later.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <strings.h>
#include <stdio.h>
#include <sys/stat.h>

#include "lib/limits.h"
#include "probes/read/confwalk.h"
#include "probes/read/sudoers.h"
#include "lib/util.h"

/* ---- parsed data -------------------------------------------------------- */

enum item_flag {
	ITEM_NEG = 1u << 0,	 /* written with '!' (parity after expansion) */
	ITEM_ALIAS = 1u << 1,	 /* an alias name, expanded on output */
	ITEM_GROUP = 1u << 2,	 /* a run-as group (after ':' in a Runas_Spec) */
	ITEM_NOPASSWD = 1u << 3, /* a command under a NOPASSWD tag */
	ITEM_PASSWD = 1u << 4,	 /* a command under an explicit PASSWD tag */
};

struct item {
	char *text;
	unsigned flags;
};

struct itemv {
	struct item *v;
	size_t n, cap;
};

enum alias_type { ALIAS_USER, ALIAS_RUNAS, ALIAS_HOST, ALIAS_CMND };

static const char *const alias_kw[] = {
    [ALIAS_USER] = "User_Alias",
    [ALIAS_RUNAS] = "Runas_Alias",
    [ALIAS_HOST] = "Host_Alias",
    [ALIAS_CMND] = "Cmnd_Alias",
};

struct alias {
	char *name;
	enum alias_type type;
	struct itemv members;
	char *file;
	unsigned line;
	size_t seq; /* definition order: the first definition wins */
};

struct spec {
	char *file;
	unsigned line;
	struct itemv users, hosts, runas, cmds;
	bool runas_root; /* a command without a Runas_Spec: sudo's default, root */
};

/* A Defaults line that sets the authenticate flag; other settings are
 * not recorded. The binding is empty for a generic "Defaults". */
enum def_type { DEF_GENERIC, DEF_HOST, DEF_USER, DEF_RUNAS, DEF_CMND };

struct def {
	char *file;
	unsigned line;
	enum def_type type;
	struct itemv binding;
	bool authenticate;
};

struct sudoers {
	struct spec *specs;
	size_t nspecs, capspecs;
	struct alias *aliases;
	size_t naliases, capaliases;
	struct def *defs; /* in file order: the last matching one wins */
	size_t ndefs, capdefs;
};

static void itemv_clear(struct itemv *iv)
{
	for (size_t i = 0; i < iv->n; i++)
		free(iv->v[i].text);
	free(iv->v);
	*iv = (struct itemv){0};
}

/* Append an item; text is stolen (freed on failure). */
static int itemv_push(struct itemv *iv, char *text, unsigned flags)
{
	if (!text || array_grow((void **)&iv->v, &iv->cap, iv->n, sizeof(*iv->v), 8) < 0) {
		free(text);
		return -ENOMEM;
	}
	iv->v[iv->n++] = (struct item){text, flags};
	return 0;
}

static void spec_clear(struct spec *sp)
{
	free(sp->file);
	itemv_clear(&sp->users);
	itemv_clear(&sp->hosts);
	itemv_clear(&sp->runas);
	itemv_clear(&sp->cmds);
}

struct sudoers *sudoers_new(void)
{
	return calloc(1, sizeof(struct sudoers));
}

void sudoers_free(struct sudoers *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nspecs; i++)
		spec_clear(&s->specs[i]);
	for (size_t i = 0; i < s->naliases; i++) {
		free(s->aliases[i].name);
		free(s->aliases[i].file);
		itemv_clear(&s->aliases[i].members);
	}
	for (size_t i = 0; i < s->ndefs; i++) {
		free(s->defs[i].file);
		itemv_clear(&s->defs[i].binding);
	}
	free(s->specs);
	free(s->aliases);
	free(s->defs);
	free(s);
}

/* ---- messages ----------------------------------------------------------- */

enum perr {
	PE_SYNTAX,
	PE_TOO_LONG,
	PE_NUL,
	PE_STRING,
	PE_EMPTY_NAME,
	PE_EXPECT_EQ,
	PE_EXPECT_CMD,
	PE_DIGEST,
	PE_ALIAS_NAME,
	PE_TRAILING,
	PE_INCLUDE,
	PE_RUNAS,
	PE_ESCAPE,
	PE_BADCHAR,
};

_Static_assert(LIMIT_LINE == 65536u, "update the PE_TOO_LONG words");

static const struct {
	const char *en, *ja;
} perr_text[] = {
    [PE_SYNTAX] = {"syntax error; line skipped", "構文エラーのため、この行を読み飛ばしました"},
    /* sudo reads a line of any length: tenken stops at LIMIT_LINE, so
     * what the line grants is not known (sudoers_collect marks the
     * sudoers and accounts collections incomplete). */
    [PE_TOO_LONG] = {"line longer than 65536 bytes (LIMIT_LINE): not read; the sudo rights "
		     "it may grant are unknown",
		     "行が上限（65536 バイト、LIMIT_LINE）より長いため、この行を読んでいません。"
		     "この行が与えうる sudo 権限は不明です"},
    [PE_NUL] = {"NUL byte: the rest of the line is ignored, as sudo does",
		"NUL バイトがあります。sudo と同じく行の残りを無視しました"},
    [PE_STRING] = {"unterminated or empty quoted string; line skipped",
		   "引用符の文字列が閉じていないか空です。この行を読み飛ばしました"},
    [PE_EMPTY_NAME] = {"empty group or netgroup name; line skipped",
		       "グループ名またはネットグループ名が空です。この行を読み飛ばしました"},
    [PE_EXPECT_EQ] = {"expected '=' after the host list; line skipped",
		      "ホスト一覧の後に '=' がありません。この行を読み飛ばしました"},
    [PE_EXPECT_CMD] = {"expected a command (full path, ALL, sudoedit or a Cmnd_Alias); "
		       "line skipped",
		       "コマンド (フルパス、ALL、sudoedit、Cmnd_Alias) がありません。"
		       "この行を読み飛ばしました"},
    [PE_DIGEST] = {"bad command digest; line skipped",
		   "コマンドのダイジェストが不正です。この行を読み飛ばしました"},
    [PE_ALIAS_NAME] = {"bad alias name (must match [A-Z][A-Z0-9_]* and not be ALL); "
		       "line skipped",
		       "エイリアス名が不正です ([A-Z][A-Z0-9_]* で ALL 以外)。"
		       "この行を読み飛ばしました"},
    [PE_TRAILING] = {"unexpected text after the rule; line skipped",
		     "規則の後に余分な文字があります。この行を読み飛ばしました"},
    [PE_INCLUDE] = {"bad include directive; line skipped",
		    "include 指定が不正です。この行を読み飛ばしました"},
    [PE_RUNAS] = {"bad run-as list in parentheses; line skipped",
		  "括弧内の実行ユーザー指定が不正です。この行を読み飛ばしました"},
    [PE_ESCAPE] = {"bad backslash escape in a command; line skipped",
		   "コマンド中のバックスラッシュが不正です。この行を読み飛ばしました"},
    [PE_BADCHAR] = {"unexpected character; line skipped",
		    "予期しない文字があります。この行を読み飛ばしました"},
};

/* ---- lexer -------------------------------------------------------------- */

struct lexer {
	const char *begin, *p, *end;
	unsigned lineno;
	bool eol; /* the last token ended the logical line */
};

enum tk {
	TK_EOF,
	TK_EOL,
	TK_WORD,
	TK_COMMA,
	TK_COLON,
	TK_EQ,
	TK_LPAREN,
	TK_RPAREN,
	TK_BANG,
	TK_TAG,
	TK_ERROR,
};

struct token {
	enum tk kind;
	bool quoted;	/* TK_WORD: from a "string" (never an alias or keyword) */
	int passwd_tag; /* TK_TAG: 1 NOPASSWD, 0 PASSWD, -1 another tag */
	enum perr err;	/* TK_ERROR */
	unsigned lineno;
	char *text; /* TK_WORD: new string */
};

static void token_clear(struct token *t)
{
	free(t->text);
	*t = (struct token){0};
}
#define _cleanup_token_ _cleanup_(token_clear)

static void sb_cleanup(struct strbuf *sb)
{
	strbuf_free(sb);
}
#define _cleanup_sb_ _cleanup_(sb_cleanup)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_word_char(char c)
{
	return c != '\0' && !strchr("#>!=:,() \t\r\n\\\"", c);
}

static bool is_alias_name(const char *s)
{
	if (!isupper((unsigned char)*s) || !strcmp(s, "ALL"))
		return false;
	for (s++; *s; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Length of a line continuation at p (backslash, blanks, newline), or 0. */
static size_t cont_len(const char *p, const char *end)
{
	const char *q = p;
	if (q >= end || *q != '\\')
		return 0;
	for (q++; q < end && is_blank(*q); q++)
		;
	if (q < end && *q == '\r')
		q++;
	return q < end && *q == '\n' ? (size_t)(q + 1 - p) : 0;
}

static void skip_blanks(struct lexer *lx)
{
	for (;;) {
		size_t n;
		if (lx->p < lx->end && is_blank(*lx->p)) {
			lx->p++;
			continue;
		}
		n = cont_len(lx->p, lx->end);
		if (!n)
			return;
		lx->p += n;
		lx->lineno++;
	}
}

/* The end of the logical line starting at p (past its newline), with the
 * number of newlines in it and the length of its text. A '#' comment runs
 * to the end of its physical line even if that ends in a backslash. */
static const char *line_end(const char *p, const char *end, unsigned *ret_nl, size_t *ret_len)
{
	const char *start = p;
	bool in_str = false;
	*ret_nl = 0;
	while (p < end) {
		size_t n = cont_len(p, end);
		if (n) {
			p += n;
			++*ret_nl;
		} else if (*p == '\\') {
			p += p + 1 < end ? 2 : 1;
		} else if (*p == '\n') {
			*ret_len = (size_t)(p - start);
			++*ret_nl;
			return p + 1;
		} else if (*p == '#' && !in_str) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl : end;
		} else {
			in_str ^= *p == '"';
			p++;
		}
	}
	*ret_len = (size_t)(p - start);
	return p;
}

/* Skip the rest of the current logical line. */
static void skip_line(struct lexer *lx)
{
	unsigned nl;
	size_t len;
	lx->p = line_end(lx->p, lx->end, &nl, &len);
	lx->lineno += nl;
	lx->eol = true;
}

/* A '#' at p begins a uid ("#1000", "#-1"), not a comment. */
static bool at_id(const char *p, const char *end)
{
	p++;
	if (p < end && *p == '-')
		p++;
	return p < end && isdigit((unsigned char)*p);
}

static int put_char(struct strbuf *sb, char c)
{
	return strbuf_append(sb, &c, 1);
}

/* A backslash escape in a word, collapsed as sudo's fill_txt() does:
 * "\xHH" is that byte, any other "\c" is c. */
static int put_escape(struct lexer *lx, struct strbuf *sb)
{
	const char *p = lx->p;
	if (p + 3 < lx->end && p[1] == 'x' && hexval(p[2]) >= 0 && hexval(p[3]) >= 0) {
		lx->p += 4;
		return put_char(sb, (char)(hexval(p[2]) << 4 | hexval(p[3])));
	}
	lx->p += 2;
	return put_char(sb, p[1]);
}

static int lex_word(struct lexer *lx, struct strbuf *sb)
{
	int r = 0;
	while (r == 0 && lx->p < lx->end) {
		const char *p = lx->p;
		if (*p == '\\') {
			if (cont_len(p, lx->end) || p + 1 >= lx->end || p[1] == '\t' ||
			    p[1] == '\n')
				break;
			r = put_escape(lx, sb);
		} else if (is_word_char(*p)) {
			r = put_char(sb, *p);
			lx->p++;
		} else {
			break;
		}
	}
	return r;
}

static int lex_id(struct lexer *lx, struct strbuf *sb)
{
	const char *p = lx->p + 1;
	if (p < lx->end && *p == '-')
		p++;
	while (p < lx->end && isdigit((unsigned char)*p))
		p++;
	int r = strbuf_append(sb, lx->p, (size_t)(p - lx->p));
	lx->p = p;
	return r;
}

static bool is_v6_char(char c)
{
	return isxdigit((unsigned char)c) || c == ':' || c == '.';
}

/* Length of an IPv6 address (with an optional /mask) at p if it is longer
 * than the plain word there, as flex's longest match would take it. */
static size_t ipv6_len(const char *p, const char *end)
{
	size_t n = 0, colons = 0, word = 0;
	while (p + word < end && is_word_char(p[word]))
		word++;
	for (; p + n < end && is_v6_char(p[n]); n++)
		colons += p[n] == ':';
	if (colons < 2)
		return 0;
	if (p + n < end && p[n] == '/')
		for (n++; p + n < end && is_v6_char(p[n]); n++)
			;
	return n > word ? n : 0;
}

/* A word: a name, %group, %:group, %#gid, +netgroup, #uid or address. */
static int lex_word_body(struct lexer *lx, struct strbuf *sb)
{
	size_t v6 = ipv6_len(lx->p, lx->end);
	int r;
	if (v6) {
		r = strbuf_append(sb, lx->p, v6);
		lx->p += v6;
		return r;
	}
	if (*lx->p == '#')
		return lex_id(lx, sb);
	if (*lx->p == '%') {
		r = put_char(sb, *lx->p++);
		if (r == 0 && lx->p < lx->end && *lx->p == ':')
			r = put_char(sb, *lx->p++);
		if (r == 0 && lx->p < lx->end && *lx->p == '#' && at_id(lx->p, lx->end))
			return lex_id(lx, sb);
		if (r < 0)
			return r;
	}
	return lex_word(lx, sb);
}

/* A "quoted string": only \" is collapsed (sudo keeps other backslashes);
 * a backslash-newline continues it, a bare newline is an error. */
static int lex_string(struct lexer *lx, struct strbuf *sb)
{
	int r = 0;
	for (lx->p++; r == 0; lx->p++) {
		size_t n = cont_len(lx->p, lx->end);
		if (n) {
			lx->p += n - 1;
			lx->lineno++;
			continue;
		}
		if (lx->p >= lx->end || *lx->p == '\n' || *lx->p == '\r')
			return -EINVAL;
		if (*lx->p == '"') {
			lx->p++;
			return sb->len ? 0 : -EINVAL;
		}
		if (*lx->p == '\\' && lx->p + 1 < lx->end && lx->p[1] == '"')
			lx->p++;
		r = put_char(sb, *lx->p);
	}
	return r;
}

static const struct {
	const char *name;
	int passwd;
} tags[] = {
    {"NOPASSWD", 1},   {"PASSWD", 0},	    {"NOEXEC", -1},	{"EXEC", -1},
    {"INTERCEPT", -1}, {"NOINTERCEPT", -1}, {"SETENV", -1},	{"NOSETENV", -1},
    {"LOG_INPUT", -1}, {"NOLOG_INPUT", -1}, {"LOG_OUTPUT", -1}, {"NOLOG_OUTPUT", -1},
    {"MAIL", -1},      {"NOMAIL", -1},	    {"FOLLOW", -1},	{"NOFOLLOW", -1},
};

/* "NOPASSWD:" (blanks allowed before the colon) is a tag, not a word. */
static void check_tag(struct lexer *lx, struct token *t)
{
	const char *q = lx->p;
	if (t->quoted)
		return;
	while (q < lx->end && is_blank(*q))
		q++;
	if (q >= lx->end || *q != ':')
		return;
	for (size_t i = 0; i < ARRAY_SIZE(tags); i++) {
		if (!strcmp(t->text, tags[i].name)) {
			t->kind = TK_TAG;
			t->passwd_tag = tags[i].passwd;
			lx->p = q + 1;
			return;
		}
	}
}

static int lex_error(struct token *t, enum perr e)
{
	t->kind = TK_ERROR;
	t->err = e;
	return 0;
}

/* A word or quoted string at lx->p. Returns 0 or -ENOMEM. */
static int lex_wordtok(struct lexer *lx, struct token *t)
{
	_cleanup_sb_ struct strbuf sb;
	strbuf_init(&sb, LIMIT_LINE);
	t->quoted = *lx->p == '"';
	int r = t->quoted ? lex_string(lx, &sb) : lex_word_body(lx, &sb);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return lex_error(t, t->quoted ? PE_STRING : PE_TOO_LONG);
	if (sb.len == 0)
		return lex_error(t, PE_BADCHAR);
	t->text = strbuf_steal(&sb);
	if (!t->text)
		return -ENOMEM;
	t->kind = TK_WORD;
	if (!strcmp(t->text, "%") || !strcmp(t->text, "%:") || !strcmp(t->text, "+"))
		return lex_error(t, PE_EMPTY_NAME);
	check_tag(lx, t);
	return 0;
}

static int lex_punct_or_word(struct lexer *lx, struct token *t)
{
	static const char punct[] = ",:=()";
	static const enum tk kinds[] = {TK_COMMA, TK_COLON, TK_EQ, TK_LPAREN, TK_RPAREN};
	const char *c = *lx->p ? strchr(punct, *lx->p) : NULL;
	if (c) {
		lx->p++;
		t->kind = kinds[c - punct];
		return 0;
	}
	if (*lx->p == '"' || *lx->p == '#' || *lx->p == '\\' || is_word_char(*lx->p))
		return lex_wordtok(lx, t);
	return lex_error(t, PE_BADCHAR);
}

/* The next token in the ordinary (non-command) state. Returns 0 or -ENOMEM;
 * lexical errors come back as TK_ERROR. */
static int lex_token(struct lexer *lx, struct token *t)
{
	token_clear(t);
	for (;;) {
		skip_blanks(lx);
		t->lineno = lx->lineno;
		if (lx->p >= lx->end) {
			t->kind = TK_EOF;
			lx->eol = true;
			return 0;
		}
		const char *p = lx->p;
		if (*p == '\n' || (*p == '\r' && p + 1 < lx->end && p[1] == '\n')) {
			lx->p += *p == '\r' ? 2 : 1;
			lx->lineno++;
			lx->eol = true;
			t->kind = TK_EOL;
			return 0;
		}
		if (*p == '#' && !at_id(p, lx->end)) {
			const char *nl = memchr(p, '\n', (size_t)(lx->end - p));
			lx->p = nl ? (nl > p && nl[-1] == '\r' ? nl - 1 : nl) : lx->end;
			continue;
		}
		if (*p != '!')
			return lex_punct_or_word(lx, t);
		size_t n = 0;
		while (p + n < lx->end && p[n] == '!')
			n++;
		lx->p += n;
		if (n % 2) { /* "!!" cancels out, as in sudo */
			t->kind = TK_BANG;
			return 0;
		}
	}
}

/* ---- command lexing (sudo's GOTCMND state) ------------------------------ */

/* A command path: '/' then anything but , : = \ blank newline #, where a
 * backslash before one of ",:= \t#" is dropped (sudo's fill_cmnd). */
static int lex_path(struct lexer *lx, struct strbuf *sb)
{
	int r = put_char(sb, *lx->p++);
	while (r == 0 && lx->p < lx->end) {
		const char *p = lx->p;
		if (*p == '\\' && !cont_len(p, lx->end) && p + 1 < lx->end &&
		    strchr(",:= \t#", p[1]) && p[1]) {
			r = put_char(sb, p[1]);
			lx->p += 2;
		} else if (*p && !strchr(",:=\\ \t\r\n#", *p)) {
			r = put_char(sb, *p);
			lx->p++;
		} else {
			break;
		}
	}
	return r;
}

struct argstate {
	bool space;   /* blank seen since the last argument text */
	bool started; /* any argument text yet */
};

static int arg_put(struct strbuf *sb, struct argstate *as, const char *s, size_t n)
{
	int r = 0;
	if (!as->started || as->space)
		r = put_char(sb, ' ');
	as->started = true;
	as->space = false;
	return r ? r : strbuf_append(sb, s, n);
}

/* Characters of one argument run: anything but # \ : , blank newline. */
static size_t arg_run(const char *p, const char *end)
{
	size_t n = 0;
	while (p + n < end && p[n] && !strchr("#\\:, \t\r\n", p[n]))
		n++;
	return n;
}

/* One argument step at lx->p. Returns 1 at the end of the arguments, 0 to
 * go on, -EINVAL for a bad escape, -E2BIG/-ENOMEM. */
static int arg_step(struct lexer *lx, struct strbuf *sb, struct argstate *as)
{
	const char *p = lx->p;
	size_t n;
	if (p >= lx->end)
		return 1;
	if (is_blank(*p)) {
		lx->p++;
		as->space = true;
		return 0;
	}
	if ((n = cont_len(p, lx->end))) {
		lx->lineno++;
		lx->p += n;
		as->space = true;
		return 0;
	}
	if (*p == '\\') {
		if (p + 1 >= lx->end || !p[1])
			return -EINVAL;
		lx->p += 2;
		if (strchr("*?[]!^", p[1])) /* glob characters stay quoted */
			return arg_put(sb, as, p, 2);
		if (strchr(":\\,= \t#", p[1]))
			return arg_put(sb, as, p + 1, 1);
		return -EINVAL;
	}
	n = arg_run(p, lx->end);
	if (n == 0 || (*p == '=' && n == 1))
		return 1;
	lx->p += n;
	return arg_put(sb, as, p, n);
}

/* The arguments after a command, joined by single blanks and appended to
 * sb after one blank. */
static int lex_args(struct lexer *lx, struct strbuf *sb)
{
	struct argstate as = {0};
	int r;
	while ((r = arg_step(lx, sb, &as)) == 0)
		;
	return r == 1 ? 0 : r;
}

/* A regular expression command "^...$" (sudo >= 1.9.10). */
static int lex_regex(struct lexer *lx, struct strbuf *sb)
{
	int r = 0;
	while (r == 0) {
		const char *p = lx->p;
		if (p >= lx->end || strchr("#\r\n", *p) || !*p)
			return -EINVAL;
		if (*p == '\\' && p + 1 < lx->end && (p[1] == '#' || p[1] == '$')) {
			r = strbuf_append(sb, p, 2);
			lx->p += 2;
			continue;
		}
		r = put_char(sb, *p);
		lx->p++;
		if (*p == '$')
			break;
	}
	return r;
}

/* ---- parser ------------------------------------------------------------- */

struct parser {
	struct sudoers *s;
	const char *file;
	struct lexer lx;
	sudoers_error_fn err;
	sudoers_include_fn inc;
	void *userdata;
	bool reported; /* this statement already has an error */
};

/* Report a problem once per statement; returns -EINVAL. */
static int perr(struct parser *ps, unsigned line, enum perr e)
{
	if (!ps->reported && ps->err)
		ps->err(ps->userdata, ps->file, line, perr_text[e].en, perr_text[e].ja);
	ps->reported = true;
	return -EINVAL;
}

/* Report the token's own lexical error if it is one, else e. */
static int perr_tok(struct parser *ps, const struct token *t, enum perr e)
{
	return perr(ps, t->lineno, t->kind == TK_ERROR ? t->err : e);
}

/* "member [, member]..." (users, hosts or run-as names) into iv. On entry
 * t holds the first token; on return, the token after the list. */
static int parse_members(struct parser *ps, unsigned flags, struct itemv *iv, struct token *t)
{
	for (;;) {
		unsigned f = flags;
		int r = 0;
		if (t->kind == TK_BANG) {
			f |= ITEM_NEG;
			r = lex_token(&ps->lx, t);
		}
		if (r < 0)
			return r;
		if (t->kind != TK_WORD || (!t->quoted && t->text[0] == '/'))
			return perr_tok(ps, t, PE_SYNTAX);
		if (!t->quoted && is_alias_name(t->text))
			f |= ITEM_ALIAS;
		r = itemv_push(iv, TAKE_PTR(t->text), f);
		r = r < 0 ? r : lex_token(&ps->lx, t);
		if (r < 0 || t->kind != TK_COMMA)
			return r;
		if ((r = lex_token(&ps->lx, t)) < 0)
			return r;
	}
}

static const struct {
	const char *name;
	size_t bytes;
} digest_types[] = {{"sha224", 28}, {"sha256", 32}, {"sha384", 48}, {"sha512", 64}};

static size_t digest_bytes(const struct token *t)
{
	for (size_t i = 0; t->kind == TK_WORD && !t->quoted && i < ARRAY_SIZE(digest_types); i++)
		if (!strcmp(t->text, digest_types[i].name))
			return digest_types[i].bytes;
	return 0;
}

/* A digest value is hex, or base64 with or without padding, of the
 * length its algorithm gives. */
static bool digest_ok(const char *s, size_t n, size_t bytes)
{
	size_t hex = 0;
	while (hex < n && isxdigit((unsigned char)s[hex]))
		hex++;
	if (hex == n && n == 2 * bytes)
		return true;
	return n == (s[n - 1] == '=' ? 4 * ((bytes + 2) / 3) : (4 * bytes + 2) / 3);
}

/* One "shaNNN:value" at lx->p, appended to sb. 1 if there is none. */
static int parse_digest(struct parser *ps, struct strbuf *sb)
{
	struct lexer save = ps->lx;
	_cleanup_token_ struct token t = {0};
	int r = lex_token(&ps->lx, &t);
	size_t bytes = r < 0 ? 0 : digest_bytes(&t);
	if (r < 0)
		return r;
	skip_blanks(&ps->lx);
	if (!bytes || ps->lx.p >= ps->lx.end || *ps->lx.p != ':') {
		ps->lx = save;
		return 1;
	}
	ps->lx.p++;
	skip_blanks(&ps->lx);
	const char *v = ps->lx.p;
	while (ps->lx.p < ps->lx.end && *ps->lx.p &&
	       (isalnum((unsigned char)*ps->lx.p) || strchr("+/=", *ps->lx.p)))
		ps->lx.p++;
	size_t n = (size_t)(ps->lx.p - v);
	if (!n || !digest_ok(v, n, bytes))
		return perr(ps, t.lineno, PE_DIGEST);
	r = strbuf_printf(sb, "%s%s:%.*s", sb->len ? "," : "", t.text, (int)n, v);
	return r;
}

/* "shaNNN:value[, shaNNN:value]..." before a command, into sb. */
static int parse_digests(struct parser *ps, struct strbuf *sb)
{
	for (;;) {
		int r = parse_digest(ps, sb);
		if (r != 0)
			return r == 1 ? 0 : r;
		struct lexer save = ps->lx;
		_cleanup_token_ struct token t = {0}, u = {0};
		r = lex_token(&ps->lx, &t);
		r = r < 0 ? r : lex_token(&ps->lx, &u);
		ps->lx = save;
		if (r < 0)
			return r;
		if (t.kind != TK_COMMA || !digest_bytes(&u))
			return 0;
		lex_token(&ps->lx, &t); /* the comma; cannot fail */
	}
}

/* A command name after "sudoedit", "ALL", an alias or "list". */
static int word_command(struct parser *ps, struct strbuf *sb, unsigned *flags)
{
	_cleanup_token_ struct token t = {0};
	int r = lex_token(&ps->lx, &t);
	if (r < 0)
		return r;
	if (t.kind != TK_WORD || t.quoted)
		return perr_tok(ps, &t, PE_EXPECT_CMD);
	if (is_alias_name(t.text))
		*flags |= ITEM_ALIAS;
	else if (strcmp(t.text, "ALL") && strcmp(t.text, "list") && strcmp(t.text, "sudoedit"))
		return perr(ps, t.lineno, PE_EXPECT_CMD);
	r = strbuf_puts(sb, t.text);
	if (r == 0 && !strcmp(t.text, "sudoedit"))
		r = lex_args(&ps->lx, sb);
	return r == -EINVAL ? perr(ps, ps->lx.lineno, PE_ESCAPE) : r;
}

/* The command itself: a path with arguments, a regex, or a word. */
static int lex_command(struct parser *ps, struct strbuf *sb, unsigned *flags)
{
	struct lexer *lx = &ps->lx;
	int r;
	skip_blanks(lx);
	unsigned line = lx->lineno;
	if (lx->p >= lx->end || (*lx->p != '/' && *lx->p != '^'))
		return word_command(ps, sb, flags);
	if (*lx->p == '/') {
		size_t start = sb->len;
		r = lex_path(lx, sb);
		if (r == 0 && sb->len - start < 2)
			return perr(ps, line, PE_EXPECT_CMD);
		if (r == 0 && sb->s[sb->len - 1] != '/') /* a directory takes no arguments */
			r = lex_args(lx, sb);
	} else {
		r = lex_regex(lx, sb);
		r = r < 0 ? r : lex_args(lx, sb);
	}
	if (r == -EINVAL)
		return perr(ps, line, PE_ESCAPE);
	return r == -E2BIG ? perr(ps, line, PE_TOO_LONG) : r;
}

/* [digests] ['!'] command, into a new string (*ret) and flags. */
static int parse_command(struct parser *ps, char **ret, unsigned *flags)
{
	_cleanup_sb_ struct strbuf sb;
	_cleanup_token_ struct token t = {0};
	strbuf_init(&sb, LIMIT_LINE);
	int r = parse_digests(ps, &sb);
	if (r < 0)
		return r;
	if (sb.len && (r = put_char(&sb, ' ')) < 0)
		return r;
	struct lexer save = ps->lx;
	if ((r = lex_token(&ps->lx, &t)) < 0)
		return r;
	if (t.kind == TK_BANG)
		*flags |= ITEM_NEG;
	else
		ps->lx = save;
	if ((r = lex_command(ps, &sb, flags)) < 0)
		return r;
	*ret = strbuf_steal(&sb);
	return *ret ? 0 : -ENOMEM;
}

/* State carried from one command to the next within one privilege
 * ("host = cmnd, cmnd, ..."): the run-as list and the tags. */
struct cmnd_state {
	bool has_runas;
	int passwd_tag; /* -1 none yet, 0 PASSWD, 1 NOPASSWD */
};

/* An optional "(users[:groups])" before a command, into sp->runas. */
static int parse_runas(struct parser *ps, struct spec *sp, struct cmnd_state *st)
{
	struct lexer save = ps->lx;
	_cleanup_token_ struct token t = {0};
	int r = lex_token(&ps->lx, &t);
	if (r < 0 || t.kind != TK_LPAREN) {
		ps->lx = save;
		return r;
	}
	st->has_runas = true; /* "()" too: only as the invoking user */
	r = lex_token(&ps->lx, &t);
	if (r == 0 && t.kind != TK_COLON && t.kind != TK_RPAREN)
		r = parse_members(ps, 0, &sp->runas, &t);
	if (r == 0 && t.kind == TK_COLON) {
		r = lex_token(&ps->lx, &t);
		if (r == 0 && t.kind != TK_RPAREN)
			r = parse_members(ps, ITEM_GROUP, &sp->runas, &t);
	}
	if (r == 0 && t.kind != TK_RPAREN)
		return perr_tok(ps, &t, PE_RUNAS);
	return r;
}

static const char *const cmnd_options[] = {
    "TIMEOUT", "NOTBEFORE", "NOTAFTER", "CWD",	      "CHROOT",
    "ROLE",    "TYPE",	    "PRIVS",	"LIMITPRIVS", "APPARMOR_PROFILE",
};

static bool is_option(const struct token *t)
{
	for (size_t i = 0; t->kind == TK_WORD && !t->quoted && i < ARRAY_SIZE(cmnd_options); i++)
		if (!strcmp(t->text, cmnd_options[i]))
			return true;
	return false;
}

/* Options such as TIMEOUT=5 or CWD=/tmp: parsed and not recorded. */
static int parse_options(struct parser *ps)
{
	for (;;) {
		struct lexer save = ps->lx;
		_cleanup_token_ struct token t = {0}, eq = {0};
		int r = lex_token(&ps->lx, &t);
		r = r < 0 || !is_option(&t) ? r : lex_token(&ps->lx, &eq);
		if (r < 0 || !is_option(&t) || eq.kind != TK_EQ) {
			ps->lx = save;
			return r;
		}
		skip_blanks(&ps->lx);
		if (ps->lx.p < ps->lx.end && *ps->lx.p == '/') {
			_cleanup_sb_ struct strbuf sb;
			strbuf_init(&sb, LIMIT_LINE);
			r = lex_path(&ps->lx, &sb);
		} else if ((r = lex_token(&ps->lx, &t)) == 0 && t.kind != TK_WORD) {
			return perr_tok(ps, &t, PE_SYNTAX);
		}
		if (r < 0)
			return r == -E2BIG ? perr(ps, ps->lx.lineno, PE_TOO_LONG) : r;
	}
}

/* Tags (NOPASSWD: and friends); they carry over to later commands. */
static int parse_tags(struct parser *ps, struct cmnd_state *st)
{
	for (;;) {
		struct lexer save = ps->lx;
		_cleanup_token_ struct token t = {0};
		int r = lex_token(&ps->lx, &t);
		if (r < 0 || t.kind != TK_TAG) {
			ps->lx = save;
			return r;
		}
		if (t.passwd_tag >= 0)
			st->passwd_tag = t.passwd_tag;
	}
}

/* [(runas)] [options] [tags:] command */
static int parse_cmndspec(struct parser *ps, struct spec *sp, struct cmnd_state *st)
{
	char *text = NULL;
	unsigned flags = 0;
	int r = parse_runas(ps, sp, st);
	r = r < 0 ? r : parse_options(ps);
	r = r < 0 ? r : parse_tags(ps, st);
	r = r < 0 ? r : parse_command(ps, &text, &flags);
	if (r < 0)
		return r;
	if (!st->has_runas)
		sp->runas_root = true;
	if (st->passwd_tag >= 0)
		flags |= st->passwd_tag ? ITEM_NOPASSWD : ITEM_PASSWD;
	return itemv_push(&sp->cmds, text, flags);
}

/* "hosts = cmndspec [, cmndspec]..."; t holds the first host on entry and
 * the token after the last command on return. */
static int parse_privilege(struct parser *ps, struct spec *sp, struct token *t)
{
	struct cmnd_state st = {.passwd_tag = -1};
	int r = parse_members(ps, 0, &sp->hosts, t);
	if (r < 0)
		return r;
	if (t->kind != TK_EQ)
		return perr_tok(ps, t, PE_EXPECT_EQ);
	do {
		r = parse_cmndspec(ps, sp, &st);
		r = r < 0 ? r : lex_token(&ps->lx, t);
	} while (r == 0 && t->kind == TK_COMMA);
	return r;
}

static int spec_commit(struct parser *ps, struct spec *sp)
{
	struct sudoers *s = ps->s;
	int r = array_grow((void **)&s->specs, &s->capspecs, s->nspecs, sizeof(*s->specs), 8);
	sp->file = r < 0 ? NULL : strdup(ps->file);
	if (!sp->file) {
		spec_clear(sp);
		return -ENOMEM;
	}
	s->specs[s->nspecs++] = *sp;
	return 0;
}

/* users hosts = cmnds [: hosts = cmnds]... ; t holds the first token. */
static int parse_userspec(struct parser *ps, struct token *t)
{
	struct spec sp = {.line = t->lineno};
	int r = parse_members(ps, 0, &sp.users, t);
	while (r == 0) {
		r = parse_privilege(ps, &sp, t);
		if (r < 0 || t->kind != TK_COLON)
			break;
		r = lex_token(&ps->lx, t);
	}
	if (r == 0 && t->kind != TK_EOL && t->kind != TK_EOF)
		r = perr_tok(ps, t, PE_TRAILING);
	if (r < 0) {
		spec_clear(&sp);
		return r;
	}
	return spec_commit(ps, &sp);
}

/* Cmnd_Alias members: [digests] ['!'] command, ... (no tags, no run-as). */
static int parse_cmnd_members(struct parser *ps, struct itemv *iv, struct token *t)
{
	int r;
	do {
		char *text = NULL;
		unsigned flags = 0;
		r = parse_command(ps, &text, &flags);
		r = r < 0 ? r : itemv_push(iv, text, flags);
		r = r < 0 ? r : lex_token(&ps->lx, t);
	} while (r == 0 && t->kind == TK_COMMA);
	return r;
}

static int alias_commit(struct parser *ps, enum alias_type type, char *name, unsigned line,
			struct itemv *members)
{
	struct sudoers *s = ps->s;
	char *file = strdup(ps->file);
	if (!file || array_grow((void **)&s->aliases, &s->capaliases, s->naliases,
				sizeof(*s->aliases), 8) < 0) {
		free(file);
		return -ENOMEM;
	}
	s->aliases[s->naliases] = (struct alias){
	    .name = name,
	    .type = type,
	    .members = *members,
	    .file = file,
	    .line = line,
	    .seq = s->naliases,
	};
	s->naliases++;
	*members = (struct itemv){0};
	return 0;
}

/* One "NAME = members" of an alias line; t is the token after it. */
static int parse_alias_def(struct parser *ps, enum alias_type type, struct token *t)
{
	struct itemv members = {0};
	int r = lex_token(&ps->lx, t);
	if (r < 0)
		return r;
	if (t->kind != TK_WORD || t->quoted || !is_alias_name(t->text))
		return perr_tok(ps, t, PE_ALIAS_NAME);
	_cleanup_free_ char *name = TAKE_PTR(t->text);
	unsigned line = t->lineno;
	if ((r = lex_token(&ps->lx, t)) < 0)
		return r;
	if (t->kind != TK_EQ)
		return perr_tok(ps, t, PE_EXPECT_EQ);
	if (type == ALIAS_CMND) {
		r = parse_cmnd_members(ps, &members, t);
	} else {
		r = lex_token(&ps->lx, t);
		r = r < 0 ? r : parse_members(ps, 0, &members, t);
	}
	if (r == 0)
		r = alias_commit(ps, type, TAKE_PTR(name), line, &members);
	itemv_clear(&members);
	return r;
}

/* Alias_Type NAME = members [: NAME = members]... */
static int parse_alias_line(struct parser *ps, size_t kwlen, enum alias_type type)
{
	_cleanup_token_ struct token t = {0};
	int r;
	ps->lx.p += kwlen;
	do {
		r = parse_alias_def(ps, type, &t);
	} while (r == 0 && t.kind == TK_COLON);
	if (r == 0 && t.kind != TK_EOL && t.kind != TK_EOF)
		r = perr_tok(ps, &t, PE_TRAILING);
	return r;
}

/* The path of an include: a quoted string or a run of non-blanks in which
 * "\ " is a blank (sudo's GOTINC state). */
static int lex_incpath(struct lexer *lx, struct strbuf *sb)
{
	int r = 0;
	if (lx->p < lx->end && *lx->p == '"')
		return lex_string(lx, sb);
	while (r == 0 && lx->p < lx->end && !isspace((unsigned char)*lx->p)) {
		if (*lx->p == '\\' && lx->p + 1 < lx->end && !isspace((unsigned char)lx->p[1]))
			r = put_escape(lx, sb);
		else if (*lx->p == '\\' && lx->p + 1 < lx->end && is_blank(lx->p[1]))
			r = put_char(sb, lx->p[1]), lx->p += 2;
		else
			r = put_char(sb, *lx->p++);
	}
	return r;
}

static int parse_include(struct parser *ps, size_t kwlen, int is_dir)
{
	_cleanup_sb_ struct strbuf sb;
	_cleanup_token_ struct token t = {0};
	unsigned line = ps->lx.lineno;
	strbuf_init(&sb, LIMIT_PATH);
	ps->lx.p += kwlen;
	skip_blanks(&ps->lx);
	int r = lex_incpath(&ps->lx, &sb);
	if (r == -ENOMEM)
		return r;
	if (r < 0 || sb.len == 0 || memchr(sb.s, '\0', sb.len))
		return perr(ps, line, PE_INCLUDE);
	if ((r = lex_token(&ps->lx, &t)) < 0)
		return r;
	if (t.kind != TK_EOL && t.kind != TK_EOF)
		return perr_tok(ps, &t, PE_INCLUDE);
	if (ps->inc)
		ps->inc(ps->userdata, ps->file, line, sb.s, is_dir);
	return 0;
}

/* ---- Defaults ------------------------------------------------------------ */

/* One member of a Defaults binding: "!"? then a word (users, hosts, run-as
 * users) or, after "Defaults!", a command path, ALL or a Cmnd_Alias
 * without arguments (sudoers(5): per-command entries take none). */
static int parse_binding_member(struct parser *ps, enum def_type type, struct itemv *iv)
{
	_cleanup_sb_ struct strbuf sb;
	_cleanup_token_ struct token t = {0};
	unsigned f = 0;
	int r;
	strbuf_init(&sb, LIMIT_LINE);
	if (type != DEF_CMND) {
		r = lex_token(&ps->lx, &t);
		if (r == 0 && t.kind == TK_BANG)
			f |= ITEM_NEG, r = lex_token(&ps->lx, &t);
		if (r < 0)
			return r;
		if (t.kind != TK_WORD)
			return perr_tok(ps, &t, PE_SYNTAX);
		if (!t.quoted && is_alias_name(t.text))
			f |= ITEM_ALIAS;
		return itemv_push(iv, TAKE_PTR(t.text), f);
	}
	skip_blanks(&ps->lx);
	for (; ps->lx.p < ps->lx.end && *ps->lx.p == '!'; ps->lx.p++)
		f ^= ITEM_NEG;
	if (ps->lx.p < ps->lx.end && *ps->lx.p == '/')
		r = lex_path(&ps->lx, &sb);
	else
		r = lex_word(&ps->lx, &sb);
	if (r < 0)
		return r == -E2BIG ? perr(ps, ps->lx.lineno, PE_TOO_LONG) : r;
	if (sb.len == 0)
		return perr(ps, ps->lx.lineno, PE_EXPECT_CMD);
	if (is_alias_name(sb.s))
		f |= ITEM_ALIAS;
	return itemv_push(iv, strbuf_steal(&sb), f);
}

/* "member [, member]..." right after "Defaults@", ":", ">" or "!". */
static int parse_binding(struct parser *ps, enum def_type type, struct itemv *iv)
{
	for (;;) {
		int r = parse_binding_member(ps, type, iv);
		if (r < 0)
			return r;
		struct lexer save = ps->lx;
		_cleanup_token_ struct token t = {0};
		if ((r = lex_token(&ps->lx, &t)) < 0)
			return r;
		if (t.kind != TK_COMMA) {
			ps->lx = save;
			return 0;
		}
	}
}

/* The authenticate flag in a Defaults parameter list [p, end), if set
 * there ("authenticate", "!authenticate", "!!authenticate"; a value makes
 * it something sudo rejects, so it is not counted): *ret 1 on, 0 off, -1
 * not named. The last setting on the line wins. */
static void defaults_authenticate(const char *p, const char *end, int *ret)
{
	*ret = -1;
	while (p < end) {
		unsigned bangs = 0;
		size_t n;
		for (;; p++) {
			if ((n = cont_len(p, end)))
				p += n - 1;
			else if (p < end && *p == '!')
				bangs++;
			else if (p >= end || !isspace((unsigned char)*p))
				break;
		}
		if (p >= end || (*p == '#' && !at_id(p, end)))
			return;
		const char *name = p;
		while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
			p++;
		size_t len = (size_t)(p - name);
		while (p < end && is_blank(*p))
			p++;
		bool value = p < end && (*p == '=' ||
					 ((*p == '+' || *p == '-') && p + 1 < end && p[1] == '='));
		if (!value && len == 12 && !memcmp(name, "authenticate", 12))
			*ret = bangs % 2 == 0;
		for (bool q = false; p < end; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == '"')
				q = !q;
			else if (!q && *p == '#' && !at_id(p, end))
				return;
			else if (!q && *p == ',')
				break;
		}
		p += p < end;
	}
}

static int def_commit(struct parser *ps, struct def *d)
{
	struct sudoers *s = ps->s;
	int r = array_grow((void **)&s->defs, &s->capdefs, s->ndefs, sizeof(*s->defs), 8);
	d->file = r < 0 ? NULL : strdup(ps->file);
	if (!d->file) {
		itemv_clear(&d->binding);
		return -ENOMEM;
	}
	s->defs[s->ndefs++] = *d;
	return 0;
}

/* "Defaults[@:>!binding] parameters": only the authenticate flag is kept
 * (with its binding); every other parameter is skipped unchecked. */
static int parse_defaults(struct parser *ps, size_t kwlen)
{
	static const char marks[] = "@:>!";
	static const enum def_type types[] = {DEF_HOST, DEF_USER, DEF_RUNAS, DEF_CMND};
	struct lexer *lx = &ps->lx;
	struct def d = {.line = lx->lineno, .type = DEF_GENERIC};
	const char *m;
	unsigned nl;
	size_t len;
	int r = 0, auth = -1;
	lx->p += kwlen;
	if (lx->p < lx->end && *lx->p && (m = strchr(marks, *lx->p))) {
		lx->p++;
		d.type = types[m - marks];
		r = parse_binding(ps, d.type, &d.binding);
	}
	const char *next = line_end(lx->p, lx->end, &nl, &len);
	if (r == 0)
		defaults_authenticate(lx->p, lx->p + len, &auth);
	lx->p = next;
	lx->lineno += nl;
	lx->eol = true;
	if (r < 0 || auth < 0) {
		itemv_clear(&d.binding);
		return r;
	}
	d.authenticate = auth;
	return def_commit(ps, &d);
}

/* Length of keyword kw at p if it stands alone (what follows cannot
 * continue a word, or is '@' for "Defaults@host"), else 0. */
static size_t keyword_at(const char *p, const char *end, const char *kw, bool at_ok)
{
	size_t n = strlen(kw);
	if ((size_t)(end - p) < n || memcmp(p, kw, n))
		return 0;
	if (p + n == end || !is_word_char(p[n]) || (at_ok && p[n] == '@'))
		return n;
	return 0;
}

static int parse_directive(struct parser *ps, bool *handled)
{
	struct lexer *lx = &ps->lx;
	size_t n;
	*handled = true;
	if ((n = keyword_at(lx->p, lx->end, "@includedir", false)))
		return parse_include(ps, n, 1);
	if ((n = keyword_at(lx->p, lx->end, "@include", false)))
		return parse_include(ps, n, 0);
	if ((n = keyword_at(lx->p, lx->end, "Defaults", true)))
		return parse_defaults(ps, n);
	for (size_t i = 0; i < ARRAY_SIZE(alias_kw); i++)
		if ((n = keyword_at(lx->p, lx->end, alias_kw[i], false)))
			return parse_alias_line(ps, n, (enum alias_type)i);
	if ((n = keyword_at(lx->p, lx->end, "Cmd_Alias", false)))
		return parse_alias_line(ps, n, ALIAS_CMND);
	*handled = false;
	return 0;
}

/* "#include FILE" and "#includedir DIR" count only at the very start of a
 * physical line and with a blank after them. */
static size_t hash_include_at(const struct lexer *lx, int *is_dir)
{
	static const char *const kws[] = {"#includedir", "#include"};
	if (lx->p != lx->begin && lx->p[-1] != '\n')
		return 0;
	for (int i = 0; i < 2; i++) {
		size_t n = strlen(kws[i]);
		if ((size_t)(lx->end - lx->p) > n && !memcmp(lx->p, kws[i], n) &&
		    is_blank(lx->p[n])) {
			*is_dir = i == 0;
			return n;
		}
	}
	return 0;
}

static int parse_statement(struct parser *ps)
{
	struct lexer *lx = &ps->lx;
	_cleanup_token_ struct token t = {0};
	unsigned nl;
	size_t len, n;
	int is_dir, r;
	bool handled;

	ps->reported = false;
	lx->eol = false;
	const char *next = line_end(lx->p, lx->end, &nl, &len);
	if (len > LIMIT_LINE) {
		r = perr(ps, lx->lineno, PE_TOO_LONG);
		lx->p = next;
		lx->lineno += nl;
		lx->eol = true;
		return r;
	}
	if ((n = hash_include_at(lx, &is_dir)))
		return parse_include(ps, n, is_dir);
	skip_blanks(lx);
	r = parse_directive(ps, &handled);
	if (handled)
		return r;
	if ((r = lex_token(lx, &t)) < 0)
		return r;
	if (t.kind == TK_EOL || t.kind == TK_EOF)
		return 0;
	return parse_userspec(ps, &t);
}

/* A copy of buf in which a NUL byte ends its physical line, as in sudo's
 * reader (the bytes after it up to the newline are dropped). NULL and no
 * error if buf has no NUL. */
static int strip_nul_tails(struct parser *ps, const char *buf, size_t len, char **ret,
			   size_t *ret_len)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 1;
	*ret = NULL;
	if (!memchr(buf, '\0', len))
		return 0;
	char *out = malloc(len + 1), *o = out;
	if (!out)
		return -ENOMEM;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end, *nul = memchr(p, '\0', (size_t)(stop - p));
		memcpy(o, p, (size_t)((nul ? nul : stop) - p));
		o += (nul ? nul : stop) - p;
		if (nul && ps->err)
			ps->err(ps->userdata, ps->file, line, perr_text[PE_NUL].en,
				perr_text[PE_NUL].ja);
		if (nl)
			*o++ = '\n';
		p = nl ? nl + 1 : end;
		line++;
	}
	*o = '\0';
	*ret = out;
	*ret_len = (size_t)(o - out);
	return 0;
}

int sudoers_parse(struct sudoers *s, const char *file, const char *buf, size_t len,
		  sudoers_error_fn err, sudoers_include_fn inc, void *userdata)
{
	struct parser ps = {
	    .s = s, .file = file ? file : "", .err = err, .inc = inc, .userdata = userdata};
	_cleanup_free_ char *clean = NULL;
	if (!s || (!buf && len))
		return -EINVAL;
	int r = strip_nul_tails(&ps, buf, len, &clean, &len);
	if (r < 0)
		return r;
	ps.lx = (struct lexer){.begin = clean ? clean : buf, .lineno = 1};
	ps.lx.p = ps.lx.begin;
	ps.lx.end = ps.lx.begin + len;
	while (ps.lx.p < ps.lx.end) {
		const char *before = ps.lx.p;
		r = parse_statement(&ps);
		if (r == -ENOMEM)
			return r;
		if ((r < 0 && !ps.lx.eol) || ps.lx.p == before)
			skip_line(&ps.lx);
	}
	return 0;
}

/* ---- alias expansion ---------------------------------------------------- */

/* The aliases sorted by (type, name, definition order), for lookups. */
struct alias_index {
	const struct alias **v;
	size_t n;
};

static int alias_key_cmp(enum alias_type type, const char *name, const struct alias *b)
{
	if (type != b->type)
		return type < b->type ? -1 : 1;
	return strcmp(name, b->name);
}

static int alias_ptr_cmp(const void *x, const void *y)
{
	const struct alias *a = *(const struct alias *const *)x;
	const struct alias *b = *(const struct alias *const *)y;
	int c = alias_key_cmp(a->type, a->name, b);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int index_build(const struct sudoers *s, struct alias_index *ix)
{
	ix->n = s->naliases;
	ix->v = calloc(ix->n ? ix->n : 1, sizeof(*ix->v));
	if (!ix->v)
		return -ENOMEM;
	for (size_t i = 0; i < ix->n; i++)
		ix->v[i] = &s->aliases[i];
	if (ix->n)
		qsort(ix->v, ix->n, sizeof(*ix->v), alias_ptr_cmp);
	return 0;
}

/* Position of the first definition of (type, name), or SIZE_MAX. */
static size_t index_find(const struct alias_index *ix, enum alias_type type, const char *name)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (alias_key_cmp(type, name, ix->v[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && !alias_key_cmp(type, name, ix->v[lo]) ? lo : SIZE_MAX;
}

/* One list being expanded. Aliases nest (A = B, B = C) and may repeat,
 * so a hostile file could make the expansion exponential: every member
 * visited counts against this list's budget and a budget shared by all
 * lists, and the expansion stops (truncated) when either runs out. */
struct expander {
	const struct alias_index *ix;
	enum alias_type type;
	const struct alias *stack[LIMIT_ALIAS_DEPTH];
	size_t depth;
	size_t budget;
	size_t *total;
	bool dry; /* only the flags below, no strings (sudoers_check) */
	bool truncated, neg, all;
	struct strv out;
	int err;
};

static void expand(struct expander *e, const struct itemv *iv, unsigned inherit);

/* One expanded member, spelled ":" (a run-as group) then "!" (negated)
 * then its text. */
static void emit(struct expander *e, const char *text, unsigned f)
{
	bool neg = f & ITEM_NEG;
	e->neg |= neg;
	e->all |= !neg && !strcmp(text, "ALL");
	if (e->dry || e->err)
		return;
	size_t n = strlen(text);
	char *s = malloc(n + 3), *p = s;
	if (!s) {
		e->err = -ENOMEM;
		return;
	}
	if (f & ITEM_GROUP)
		*p++ = ':';
	if (neg)
		*p++ = '!';
	memcpy(p, text, n + 1);
	if (strv_consume(&e->out.v, &e->out.n, s) < 0)
		e->err = -ENOMEM;
}

/* An alias reference: undefined ones match nothing (sudo's behaviour;
 * sudoers_check reports them); a loop stops at the repeated alias. */
static void expand_alias(struct expander *e, const char *name, unsigned f)
{
	size_t i = index_find(e->ix, e->type, name);
	if (i == SIZE_MAX)
		return;
	const struct alias *a = e->ix->v[i];
	for (size_t d = 0; d < e->depth; d++)
		if (e->stack[d] == a)
			return;
	if (e->depth == LIMIT_ALIAS_DEPTH) {
		e->truncated = true;
		return;
	}
	e->stack[e->depth++] = a;
	expand(e, &a->members, f);
	e->depth--;
}

/* Negation composes by parity ("!A" where A = "!bob" is bob); the run-as
 * group and tag marks of a reference pass to the alias's members. */
static void expand(struct expander *e, const struct itemv *iv, unsigned inherit)
{
	for (size_t i = 0; i < iv->n && !e->err; i++) {
		const struct item *it = &iv->v[i];
		unsigned f = (it->flags & ~ITEM_NEG) |
			     (inherit & (ITEM_GROUP | ITEM_NOPASSWD | ITEM_PASSWD));
		f |= (it->flags ^ inherit) & ITEM_NEG;
		if (!e->budget || !*e->total) {
			e->truncated = true;
			return;
		}
		e->budget--;
		--*e->total;
		if (f & ITEM_ALIAS)
			expand_alias(e, it->text, f & ~ITEM_ALIAS);
		else
			emit(e, it->text, f);
	}
}

static void expander_init(struct expander *e, const struct alias_index *ix, enum alias_type type,
			  size_t *total, bool dry)
{
	*e = (struct expander){
	    .ix = ix,
	    .type = type,
	    .budget = LIMIT_ALIAS_EXPANSION,
	    .total = total,
	    .dry = dry,
	};
}

static void expander_free(struct expander *e)
{
	strv_reset(&e->out);
}

/* The expanded strings, sorted and without duplicates (new array). */
static json_t *strings_json(struct strv *sv)
{
	json_t *arr = json_array();
	if (!arr)
		return NULL;
	strv_sort(sv->v, sv->n);
	for (size_t i = 0; i < sv->n; i++) {
		if (i && !strcmp(sv->v[i], sv->v[i - 1]))
			continue;
		if (json_array_append_new(arr, json_str(sv->v[i])) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* The four lists of a spec, with the alias namespace each refers to. */
static const struct {
	const char *key;
	size_t off;
	enum alias_type type;
} spec_lists[] = {
    {"principals", offsetof(struct spec, users), ALIAS_USER},
    {"hosts", offsetof(struct spec, hosts), ALIAS_HOST},
    {"runas", offsetof(struct spec, runas), ALIAS_RUNAS},
    {"commands", offsetof(struct spec, cmds), ALIAS_CMND},
};

static const struct itemv *spec_list(const struct spec *sp, size_t i)
{
	return (const struct itemv *)(const void *)((const char *)sp + spec_lists[i].off);
}

struct spec_flags {
	bool negated, all, truncated;
};

/* Expand list i of sp into e and fold its flags into fl. */
static int spec_expand(const struct spec *sp, size_t i, const struct alias_index *ix, size_t *total,
		       bool dry, struct expander *e, struct spec_flags *fl)
{
	expander_init(e, ix, spec_lists[i].type, total, dry);
	expand(e, spec_list(sp, i), 0);
	if (spec_lists[i].type == ALIAS_RUNAS && sp->runas_root)
		emit(e, "root", 0);
	fl->negated |= spec_lists[i].type == ALIAS_USER && e->neg;
	fl->all |= spec_lists[i].type == ALIAS_CMND && e->all;
	fl->truncated |= e->truncated;
	return e->err;
}

/* ---- effective authentication (the authenticate flag and tags) ---------- */

/* A user a binding is matched against: an account of the scanned root,
 * or (idx SIZE_MAX) a principal as written that names no account, which
 * matches only itself and ALL. */
struct person {
	size_t idx;
	const char *name;
};

struct evaluator {
	const struct sudoers *s;
	const struct alias_index *ix;
	const char *hostname;
	const struct sudoers_accounts *acc;
	size_t budget;	 /* match steps left; at 0 every answer is unknown */
	bool runas_defs; /* some Defaults>runas line sets authenticate */
};

/* Match results: a binding or list says yes, no, nothing, or cannot tell. */
enum { M_NONE = -1, M_NO = 0, M_YES = 1, M_UNKNOWN = 2 };

typedef int (*match_fn)(const struct evaluator *ev, const void *subject, const char *item);

static int match_user(const struct evaluator *ev, const void *subject, const char *item)
{
	const struct person *u = subject;
	if (!strcmp(item, "ALL"))
		return M_YES;
	if (u->idx != SIZE_MAX)
		return ev->acc->matches(ev->acc->ud, u->idx, item) ? M_YES : M_NONE;
	if (!strcmp(item, u->name))
		return M_YES;
	/* A group, netgroup or ALL with no known member may hold anyone; a
	 * user not in passwd may be in a group or netgroup. */
	if (strchr("%+", u->name[0]) || !strcmp(u->name, "ALL") || strchr("%+", item[0]))
		return M_UNKNOWN;
	return M_NONE;
}

/* A host item against the scanned host's short name. Addresses, networks
 * and netgroups cannot be told offline. */
static int match_host(const struct evaluator *ev, const void *subject, const char *item)
{
	(void)subject;
	if (!strcmp(item, "ALL"))
		return M_YES;
	if (!ev->hostname || item[0] == '+' ||
	    strspn(item, "0123456789.:/abcdefABCDEF") == strlen(item))
		return M_UNKNOWN;
	size_t n = strcspn(item, ".");
	if (strpbrk(item, "*?["))
		return fnmatch(item, ev->hostname, FNM_CASEFOLD) == 0 ? M_YES : M_NONE;
	return strlen(ev->hostname) == n && !strncasecmp(item, ev->hostname, n) ? M_YES : M_NONE;
}

/* A command path without a digest prefix ("sha256:HEX /bin/ls"). */
static const char *cmnd_body(const char *c)
{
	const char *sp = strchr(c, ' ');
	return c[0] != '/' && sp && strchr(c, ':') && strchr(c, ':') < sp ? sp + 1 : c;
}

/* Whether the command item covers command x (a path with arguments, or
 * "ALL" for a command no Defaults line names): paths equal or matched as
 * fnmatch(3) patterns or a directory ("/usr/bin/"); an item without
 * arguments takes any, '""' none. A regex cannot be compared offline. */
static int match_cmnd(const struct evaluator *ev, const void *subject, const char *item)
{
	const char *x = cmnd_body(subject);
	(void)ev;
	item = cmnd_body(item);
	if (!strcmp(item, "ALL"))
		return M_YES;
	if (!strcmp(x, "ALL"))
		return M_NONE;
	if (item[0] == '^' || x[0] == '^')
		return M_UNKNOWN;
	size_t ni = strcspn(item, " "), nx = strcspn(x, " ");
	char ip[LIMIT_PATH], xp[LIMIT_PATH];
	if (ni >= sizeof(ip) || nx >= sizeof(xp))
		return M_UNKNOWN;
	memcpy(ip, item, ni), ip[ni] = '\0';
	memcpy(xp, x, nx), xp[nx] = '\0';
	bool path = !strcmp(ip, xp) || fnmatch(ip, xp, FNM_PATHNAME) == 0 ||
		    (ip[ni - 1] == '/' && !strncmp(ip, xp, ni) && !strchr(xp + ni, '/'));
	if (!path)
		return M_NONE;
	const char *ia = item + ni, *xa = x + nx;
	ia += *ia == ' ', xa += *xa == ' ';
	if (!*ia)
		return M_YES;
	if (!strcmp(ia, "\"\""))
		return *xa ? M_NONE : M_YES;
	return fnmatch(ia, xa, 0) == 0 ? M_YES : M_NONE;
}

/* sudo's list match: the last item that matches decides and '!' inverts
 * it; an alias is a list of its own. */
static int list_match(struct evaluator *ev, enum alias_type type, const struct itemv *iv,
		      const void *subj, match_fn fn, size_t depth)
{
	for (size_t i = iv->n; i-- > 0;) {
		const struct item *it = &iv->v[i];
		int m = M_NONE;
		if (!ev->budget)
			return M_UNKNOWN;
		ev->budget--;
		if (it->flags & ITEM_ALIAS) {
			size_t k = index_find(ev->ix, type, it->text);
			if (k != SIZE_MAX && depth < LIMIT_ALIAS_DEPTH)
				m = list_match(ev, type, &ev->ix->v[k]->members, subj, fn,
					       depth + 1);
		} else if (!(it->flags & ITEM_GROUP)) {
			m = fn(ev, subj, it->text);
		}
		if (m == M_NONE)
			continue;
		if (m == M_UNKNOWN)
			return m;
		return (it->flags & ITEM_NEG) ? !m : m;
	}
	return M_NONE;
}

/* One context sudo decides in: who runs which command as whom. */
struct context {
	const struct person *user, *runas;
	const char *cmnd;
};

static int binding_match(struct evaluator *ev, const struct def *d, const struct context *cx)
{
	switch (d->type) {
	case DEF_HOST:
		return list_match(ev, ALIAS_HOST, &d->binding, NULL, match_host, 0);
	case DEF_USER:
		return list_match(ev, ALIAS_USER, &d->binding, cx->user, match_user, 0);
	case DEF_RUNAS:
		if (!cx->runas) /* the grant runs as its own user only */
			return list_match(ev, ALIAS_RUNAS, &d->binding, cx->user, match_user, 0);
		return list_match(ev, ALIAS_RUNAS, &d->binding, cx->runas, match_user, 0);
	case DEF_CMND:
		return list_match(ev, ALIAS_CMND, &d->binding, cx->cmnd, match_cmnd, 0);
	default:
		return M_YES;
	}
}

/* The authenticate flag in one context: 1, 0 or -1 (cannot tell), and
 * the Defaults line that set it last (SIZE_MAX: none). Command Defaults
 * come after all others, whatever their place in the file. */
static int authenticate_in(struct evaluator *ev, const struct context *cx, size_t *ret_def)
{
	int a = 1;
	*ret_def = SIZE_MAX;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ev->s->ndefs; i++) {
			const struct def *d = &ev->s->defs[i];
			if ((d->type == DEF_CMND) != pass)
				continue;
			int m = binding_match(ev, d, cx);
			if (m == M_YES)
				a = d->authenticate, *ret_def = i;
			else if (m == M_UNKNOWN && a != (int)d->authenticate)
				a = -1;
		}
	}
	return a;
}

typedef int (*leaf_fn)(void *arg, const char *text, unsigned flags);

/* Every member of a list with aliases expanded, negation by parity and the
 * tags of a reference passed on, as expand() does; stops at the first
 * callback error. */
static int walk_leaves(struct evaluator *ev, enum alias_type type, const struct itemv *iv,
		       unsigned inherit, size_t depth, leaf_fn fn, void *arg)
{
	int r = 0;
	for (size_t i = 0; i < iv->n && r == 0; i++) {
		const struct item *it = &iv->v[i];
		unsigned f = (it->flags & ~ITEM_NEG) |
			     (inherit & (ITEM_GROUP | ITEM_NOPASSWD | ITEM_PASSWD));
		f |= (it->flags ^ inherit) & ITEM_NEG;
		if (!ev->budget)
			return 0;
		ev->budget--;
		if (!(f & ITEM_ALIAS)) {
			r = fn(arg, it->text, f);
			continue;
		}
		size_t k = index_find(ev->ix, type, it->text);
		if (k != SIZE_MAX && depth < LIMIT_ALIAS_DEPTH)
			r = walk_leaves(ev, type, &ev->ix->v[k]->members, f & ~ITEM_ALIAS,
					depth + 1, fn, arg);
	}
	return r;
}

struct people {
	struct evaluator *ev;
	struct person *v;
	size_t n, cap;
	bool any; /* a user item was seen (a run-as list may hold only groups) */
};

static int people_add(struct people *pp, size_t idx, const char *name)
{
	for (size_t i = 0; i < pp->n; i++)
		if (pp->v[i].idx == idx && (idx != SIZE_MAX || !strcmp(pp->v[i].name, name)))
			return 0;
	if (array_grow((void **)&pp->v, &pp->cap, pp->n, sizeof(*pp->v), 8) < 0)
		return -ENOMEM;
	pp->v[pp->n++] = (struct person){idx, name};
	return 0;
}

/* A member that no account matches stands for itself ("%ldapgroup",
 * a user not in passwd). */
static int people_literal(void *arg, const char *text, unsigned flags)
{
	struct people *pp = arg;
	const struct sudoers_accounts *acc = pp->ev->acc;
	if (flags & (ITEM_NEG | ITEM_GROUP))
		return 0;
	pp->any = true;
	for (size_t i = 0; acc && i < acc->n; i++)
		if (acc->matches(acc->ud, i, text))
			return 0;
	return people_add(pp, SIZE_MAX, text);
}

/* The accounts a user or run-as list takes in, and its members that name
 * no account. */
static int people_of(struct evaluator *ev, enum alias_type type, const struct itemv *iv,
		     struct people *pp)
{
	const struct sudoers_accounts *acc = ev->acc;
	*pp = (struct people){.ev = ev};
	for (size_t i = 0; acc && i < acc->n; i++) {
		struct person u = {i, acc->name(acc->ud, i)};
		if (list_match(ev, type, iv, &u, match_user, 0) == M_YES &&
		    people_add(pp, i, u.name))
			return -ENOMEM;
	}
	return walk_leaves(ev, type, iv, 0, 0, people_literal, pp);
}

struct grant_eval {
	struct evaluator *ev;
	const struct spec *sp;
	struct people users, runas;
	bool *user_free; /* per users.v[] entry: some command without a password */
	bool *def_used;	 /* per Defaults line: turned authentication off here */
	bool tag, unknown;
	const char *cmnd; /* the grant's command being looked at */
	unsigned flags;
};

static bool same_person(const struct person *a, const struct person *b)
{
	if (a->idx != SIZE_MAX || b->idx != SIZE_MAX)
		return a->idx == b->idx;
	return !strcmp(a->name, b->name);
}

/* The command x (the grant's command, or a command a Defaults!cmnd line
 * names that the grant's command covers) for every user and run-as user.
 * Running as oneself asks no password whatever the flag says (sudoers(5)),
 * and gives nothing, so those contexts are left out. The run-as users
 * are looked at only when a Defaults>runas line could tell them apart. */
static int eval_cmnd_as(struct grant_eval *g, const char *x)
{
	bool by_runas = g->ev->runas_defs && g->runas.any;
	size_t nr = by_runas ? g->runas.n : 1;
	for (size_t u = 0; u < g->users.n; u++) {
		for (size_t r = 0; r < nr; r++) {
			struct context cx = {&g->users.v[u], by_runas ? &g->runas.v[r] : NULL, x};
			size_t def;
			if (by_runas && same_person(cx.user, cx.runas))
				continue;
			int a = authenticate_in(g->ev, &cx, &def);
			g->unknown |= a < 0;
			if (a != 0)
				continue;
			g->user_free[u] = true;
			if (def != SIZE_MAX)
				g->def_used[def] = true;
		}
	}
	return 0;
}

static int eval_def_cmnd(void *arg, const char *text, unsigned flags)
{
	struct grant_eval *g = arg;
	int m = flags & ITEM_NEG ? M_NONE : match_cmnd(g->ev, text, g->cmnd);
	g->unknown |= m == M_UNKNOWN;
	return m == M_YES ? eval_cmnd_as(g, text) : 0;
}

/* One command of the grant: a tag decides alone; otherwise the Defaults. */
static int eval_grant_cmnd(void *arg, const char *text, unsigned flags)
{
	struct grant_eval *g = arg;
	if (flags & (ITEM_NEG | ITEM_PASSWD))
		return 0;
	if (flags & ITEM_NOPASSWD) {
		g->tag = true;
		for (size_t u = 0; u < g->users.n; u++)
			g->user_free[u] = true;
		return 0;
	}
	g->cmnd = text;
	int r = eval_cmnd_as(g, text);
	for (size_t i = 0; r == 0 && i < g->ev->s->ndefs; i++) {
		const struct def *d = &g->ev->s->defs[i];
		if (d->type == DEF_CMND)
			r = walk_leaves(g->ev, ALIAS_CMND, &d->binding, 0, 0, eval_def_cmnd, g);
	}
	return r;
}

static void grant_free(struct grant_eval *g)
{
	free(g->users.v);
	free(g->runas.v);
	free(g->user_free);
	free(g->def_used);
}

static int grant_eval(struct evaluator *ev, const struct spec *sp, struct grant_eval *g)
{
	*g = (struct grant_eval){.ev = ev, .sp = sp};
	int r = people_of(ev, ALIAS_USER, &sp->users, &g->users);
	r = r < 0 || !ev->runas_defs ? r : people_of(ev, ALIAS_RUNAS, &sp->runas, &g->runas);
	if (r == 0 && ev->runas_defs && sp->runas_root) {
		struct itemv root = {&(struct item){"root", 0}, 1, 1};
		struct people extra;
		r = people_of(ev, ALIAS_RUNAS, &root, &extra);
		for (size_t i = 0; r == 0 && i < extra.n; i++)
			r = people_add(&g->runas, extra.v[i].idx, extra.v[i].name);
		g->runas.any = true;
		free(extra.v);
	}
	g->user_free = calloc(g->users.n + 1, sizeof(bool));
	g->def_used = calloc(ev->s->ndefs + 1, sizeof(bool));
	if (r < 0 || !g->user_free || !g->def_used)
		return -ENOMEM;
	return walk_leaves(ev, ALIAS_CMND, &sp->cmds, 0, 0, eval_grant_cmnd, g);
}

static json_t *nopasswd_users_json(const struct grant_eval *g)
{
	struct strv sv = {0};
	json_t *arr = NULL;
	for (size_t u = 0; u < g->users.n; u++) {
		const char *name = g->users.v[u].name;
		if (!g->user_free[u] || g->users.v[u].idx == SIZE_MAX)
			continue;
		if (strv_add(&sv, name, strlen(name)) < 0)
			goto out;
	}
	arr = strings_json(&sv);
out:
	strv_reset(&sv);
	return arr;
}

static json_t *nopasswd_defaults_json(const struct grant_eval *g)
{
	const struct sudoers *s = g->ev->s;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < s->ndefs; i++) {
		if (g->def_used[i] &&
		    json_array_append_new(
			arr, json_sprintf("%s:%u", s->defs[i].file, s->defs[i].line)) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* The password facts of one entry (see sudoers.h). */
static int grant_json(struct evaluator *ev, const struct spec *sp, json_t *o)
{
	struct grant_eval g;
	bool any = false;
	int r = grant_eval(ev, sp, &g);
	for (size_t u = 0; r == 0 && u < g.users.n; u++)
		any |= g.user_free[u];
	if (r == 0)
		r = json_set(o, "nopasswd",
			     any			? json_true()
			     : g.unknown || !ev->budget ? json_null()
							: json_false());
	if (r == 0)
		r = json_set(o, "nopasswd_tag", json_boolean(g.tag));
	if (r == 0 && ev->acc)
		r = json_set(o, "nopasswd_users", nopasswd_users_json(&g));
	if (r == 0)
		r = json_set(o, "nopasswd_defaults", nopasswd_defaults_json(&g));
	grant_free(&g);
	return r;
}

static json_t *spec_json(const struct spec *sp, struct evaluator *ev, size_t *total)
{
	const struct alias_index *ix = ev->ix;
	json_auto_t *o = json_object();
	struct spec_flags fl = {0};
	int r = o ? json_set(o, "file", json_str(sp->file)) : -ENOMEM;
	if (r == 0)
		r = json_set(o, "line", json_integer(sp->line));
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(spec_lists); i++) {
		struct expander e;
		r = spec_expand(sp, i, ix, total, false, &e, &fl);
		if (r == 0)
			r = json_set(o, spec_lists[i].key, strings_json(&e.out));
		expander_free(&e);
	}
	if (r == 0)
		r = json_set(o, "all_commands", json_boolean(fl.all));
	if (r == 0)
		r = grant_json(ev, sp, o);
	if (r == 0)
		r = json_set(o, "negated", json_boolean(fl.negated));
	return r == 0 ? TAKE_PTR(o) : NULL;
}

struct entry_ref {
	json_t *o;
	const struct spec *sp;
	size_t idx;
};

static int entry_cmp(const void *x, const void *y)
{
	const struct entry_ref *a = x, *b = y;
	int c = strcmp(a->sp->file, b->sp->file);
	if (c)
		return c;
	if (a->sp->line != b->sp->line)
		return a->sp->line < b->sp->line ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static json_t *entries_sorted(struct entry_ref *refs, size_t n)
{
	json_t *arr = json_array();
	if (n)
		qsort(refs, n, sizeof(*refs), entry_cmp);
	for (size_t i = 0; arr && i < n; i++) {
		if (json_array_append(arr, refs[i].o) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}

json_t *sudoers_entries(const struct sudoers *s, const char *hostname,
			const struct sudoers_accounts *accounts)
{
	struct alias_index ix;
	size_t total = LIMIT_ALIAS_EXPANSION_TOTAL, n = 0;
	json_t *arr = NULL;
	if (!s || index_build(s, &ix) < 0)
		return NULL;
	struct evaluator ev = {s, &ix, hostname, accounts, LIMIT_ALIAS_EXPANSION_TOTAL, false};
	for (size_t i = 0; i < s->ndefs; i++)
		ev.runas_defs |= s->defs[i].type == DEF_RUNAS;
	struct entry_ref *refs = calloc(s->nspecs ? s->nspecs : 1, sizeof(*refs));
	for (; refs && n < s->nspecs; n++) {
		refs[n] = (struct entry_ref){spec_json(&s->specs[n], &ev, &total), &s->specs[n], n};
		if (!refs[n].o)
			break;
	}
	if (refs && n == s->nspecs)
		arr = entries_sorted(refs, n);
	for (size_t i = 0; refs && i < n; i++)
		json_decref(refs[i].o);
	free(refs);
	free(ix.v);
	return arr;
}

/* ---- checks ------------------------------------------------------------- */

struct checker {
	const struct alias_index *ix;
	sudoers_error_fn err;
	void *userdata;
	unsigned char *colour; /* per index position: 0 new, 1 on the DFS path, 2 done */
};

static void report_alias(struct checker *ck, const char *file, unsigned line, enum alias_type type,
			 const char *name, const char *en_tail, const char *ja_tail)
{
	char en[256], ja[320];
	snprintf(en, sizeof(en), "%s \"%.64s\" %s", alias_kw[type], name, en_tail);
	snprintf(ja, sizeof(ja), "%s「%.64s」%s", alias_kw[type], name, ja_tail);
	ck->err(ck->userdata, file, line, en, ja);
}

static void check_duplicates(struct checker *ck)
{
	for (size_t i = 1; i < ck->ix->n; i++) {
		const struct alias *a = ck->ix->v[i];
		if (alias_key_cmp(a->type, a->name, ck->ix->v[i - 1]))
			continue;
		report_alias(ck, a->file, a->line, a->type, a->name,
			     "is defined again; sudo keeps the first definition",
			     "が再定義されています。sudo は最初の定義を使います");
	}
}

/* Alias references in iv that name no alias of that type. */
static void check_refs(struct checker *ck, const struct itemv *iv, enum alias_type type,
		       const char *file, unsigned line)
{
	for (size_t i = 0; i < iv->n; i++) {
		if (!(iv->v[i].flags & ITEM_ALIAS) ||
		    index_find(ck->ix, type, iv->v[i].text) != SIZE_MAX)
			continue;
		report_alias(ck, file, line, type, iv->v[i].text,
			     "is used but not defined; it matches nothing",
			     "は定義されていないため、何にも一致しません");
	}
}

/* Depth-first walk of the alias graph; an edge back to an alias on the
 * current path is a loop. The depth bound keeps the recursion small; the
 * outer loop in check_loops starts again from any alias left unvisited. */
static void loop_visit(struct checker *ck, size_t i, size_t depth)
{
	const struct alias *a = ck->ix->v[i];
	ck->colour[i] = 1;
	for (size_t m = 0; m < a->members.n; m++) {
		if (!(a->members.v[m].flags & ITEM_ALIAS))
			continue;
		size_t j = index_find(ck->ix, a->type, a->members.v[m].text);
		if (j == SIZE_MAX)
			continue;
		if (ck->colour[j] == 1)
			report_alias(
			    ck, a->file, a->line, a->type, ck->ix->v[j]->name,
			    "is part of a loop of aliases; the repeated reference is ignored",
			    "がエイリアスの循環参照に含まれています。循環する参照は無視します");
		else if (ck->colour[j] == 0 && depth + 1 < LIMIT_ALIAS_DEPTH)
			loop_visit(ck, j, depth + 1);
	}
	ck->colour[i] = 2;
}

static int check_loops(struct checker *ck)
{
	ck->colour = calloc(ck->ix->n ? ck->ix->n : 1, 1);
	if (!ck->colour)
		return -ENOMEM;
	for (size_t i = 0; i < ck->ix->n; i++)
		if (ck->colour[i] == 0)
			loop_visit(ck, i, 0);
	free(ck->colour);
	ck->colour = NULL;
	return 0;
}

/* Specs whose expansion ran out of budget, found by the same walk (same
 * order, same budgets) that sudoers_entries makes. */
static int check_truncation(struct checker *ck, const struct sudoers *s)
{
	size_t total = LIMIT_ALIAS_EXPANSION_TOTAL;
	for (size_t n = 0; n < s->nspecs; n++) {
		struct spec_flags fl = {0};
		for (size_t i = 0; i < ARRAY_SIZE(spec_lists); i++) {
			struct expander e;
			int r = spec_expand(&s->specs[n], i, ck->ix, &total, true, &e, &fl);
			expander_free(&e);
			if (r < 0)
				return r;
		}
		if (fl.truncated)
			ck->err(ck->userdata, s->specs[n].file, s->specs[n].line,
				"aliases expand to too many members or nest too deeply; "
				"the rule was cut short",
				"エイリアスの展開結果が多すぎるか入れ子が深すぎるため、"
				"規則を途中で打ち切りました");
	}
	return 0;
}

int sudoers_check(const struct sudoers *s, sudoers_error_fn err, void *userdata)
{
	struct alias_index ix;
	struct checker ck = {.ix = &ix, .err = err, .userdata = userdata};
	if (!s || !err)
		return -EINVAL;
	if (index_build(s, &ix) < 0)
		return -ENOMEM;
	check_duplicates(&ck);
	for (size_t i = 0; i < s->naliases; i++) {
		const struct alias *a = &s->aliases[i];
		check_refs(&ck, &a->members, a->type, a->file, a->line);
	}
	for (size_t n = 0; n < s->nspecs; n++)
		for (size_t i = 0; i < ARRAY_SIZE(spec_lists); i++)
			check_refs(&ck, spec_list(&s->specs[n], i), spec_lists[i].type,
				   s->specs[n].file, s->specs[n].line);
	int r = check_loops(&ck);
	if (r == 0)
		r = check_truncation(&ck, s);
	free(ix.v);
	return r;
}

/* ---- includes ----------------------------------------------------------- */

int sudoers_include_path(const char *including, const char *path, const char *hostname, char **ret)
{
	_cleanup_sb_ struct strbuf sb;
	strbuf_init(&sb, LIMIT_PATH);
	if (!path || !*path)
		return -EINVAL;
	const char *slash = path[0] == '/' || !including ? NULL : strrchr(including, '/');
	int r = slash ? strbuf_append(&sb, including, (size_t)(slash - including) + 1) : 0;
	for (const char *p = path; r == 0 && *p; p++) {
		if (p[0] != '%' || p[1] != 'h') {
			r = put_char(&sb, *p);
			continue;
		}
		if (!hostname)
			return -ENODATA;
		r = strbuf_puts(&sb, hostname);
		p++;
	}
	if (r < 0)
		return r == -E2BIG ? -ENAMETOOLONG : r;
	*ret = strbuf_steal(&sb);
	return *ret ? 0 : -ENOMEM;
}

/* ---- reading the files (sudoers_collect) -------------------------------- */

struct collect {
	struct probe_ctx *ctx;
	struct sudoers *s;
	json_t *files; /* borrowed */
	char *hostname;
	struct confwalk *w;  /* /etc/sudoers and its includes */
	unsigned errors;     /* syntax errors reported in the file being parsed */
	bool limit_reported; /* LIMIT_SUDOERS_FILES or _TOTAL reached, said once */
	unsigned check_msgs; /* alias warnings so far */
	int err;	     /* -ENOMEM: stops the walk */
};

/* The short host name from the root's /etc/hostname (what %h means on
 * that host: sudo uses the running host's name, and under --root the
 * scanning host is not the scanned one), or NULL if none is usable. */
static char *root_hostname(struct fsroot *root)
{
	_cleanup_buf_ struct buf b = {0};
	struct line_iter it;
	struct line ln;
	if (fsroot_read(root, "/etc/hostname", LIMIT_CONFIG_FILE, &b) < 0)
		return NULL;
	line_iter_init(&it, b.data, b.len);
	while (line_iter_next(&it, &ln)) {
		const char *s = ln.s;
		size_t n = ln.len, short_len = 0;
		str_trim(&s, &n);
		if (n == 0 || *s == '#')
			continue;
		while (short_len < n && s[short_len] != '.')
			short_len++;
		for (size_t i = 0; i < short_len; i++)
			if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
				return NULL;
		return short_len ? xstrndup(s, short_len) : NULL;
	}
	return NULL;
}

static const char *file_type(mode_t m)
{
	if (S_ISREG(m))
		return "file";
	if (S_ISDIR(m))
		return "directory";
	return S_ISLNK(m) ? "symlink" : "other";
}

/* A "files" fact: type from lstat; for a symlink, mode and owner are the
 * target's (what sudo opens). Unknown fields stay null; owner and group
 * names stay null for the accounts probe to fill from the root's passwd
 * and group. */
static json_t *file_fact(struct fsroot *root, const char *path)
{
	struct stat lst, st;
	json_auto_t *o = json_pack("{s:o,s:n,s:n,s:n,s:n,s:n,s:n,s:n}", "path", json_str(path),
				   "exists", "type", "mode", "uid", "gid", "owner", "group");
	int r = o ? fsroot_stat(root, path, false, &lst) : -ENOMEM;
	if (r == -ENOMEM)
		return NULL;
	if (r == -ENOENT || r == -ENOTDIR)
		return json_set(o, "exists", json_false()) < 0 ? NULL : TAKE_PTR(o);
	if (r < 0)
		return TAKE_PTR(o);
	st = lst;
	r = json_set(o, "type", json_string(file_type(lst.st_mode)));
	if (r == 0 && S_ISLNK(lst.st_mode) && fsroot_stat(root, path, true, &st) < 0)
		return json_set(o, "exists", json_false()) < 0 ? NULL : TAKE_PTR(o);
	if (r == 0)
		r = json_set(o, "exists", json_true());
	if (r == 0)
		r = json_set(o, "mode", json_mode(st.st_mode & 07777));
	if (r == 0)
		r = json_set(o, "uid", json_integer(st.st_uid));
	if (r == 0)
		r = json_set(o, "gid", json_integer(st.st_gid));
	return r == 0 ? TAKE_PTR(o) : NULL;
}

/* Append the fact for path unless files already holds one. */
static int add_file_fact(struct collect *c, const char *path)
{
	size_t i;
	json_t *f;
	if (!c->files)
		return 0;
	json_array_foreach(c->files, i, f) {
		const char *p = json_string_value(json_object_get(f, "path"));
		if (p && !strcmp(p, path))
			return 0;
	}
	return json_array_append_new(c->files, file_fact(c->ctx->root, path)) < 0 ? -ENOMEM : 0;
}

static void on_parse_error(void *userdata, const char *file, unsigned line, const char *en_what,
			   const char *ja_what)
{
	struct collect *c = userdata;
	probe_partial(c->ctx);			    /* a skipped line may have granted something */
	if (en_what == perr_text[PE_TOO_LONG].en) { /* sudo reads it: its grants are unknown */
		probe_incomplete(c->ctx, "sudoers");
		probe_incomplete(c->ctx, "accounts");
	}
	if (++c->errors > LIMIT_LINE_MESSAGES)
		return; /* counted, summarised by sd_file */
	probe_line_error(c->ctx, file, line, ja_what, en_what);
}

static void on_check_error(void *userdata, const char *file, unsigned line, const char *en_what,
			   const char *ja_what)
{
	struct collect *c = userdata;
	if (++c->check_msgs <= LIMIT_LINE_MESSAGES)
		probe_line_error(c->ctx, file, line, ja_what, en_what);
}

/* An include problem at the directive (file:line) naming path. */
static void include_error(struct collect *c, const char *file, unsigned line, const char *path,
			  const char *en, const char *ja, bool partial)
{
	char mja[512], men[512];
	snprintf(men, sizeof(men), "%s: %.400s", en, path);
	snprintf(mja, sizeof(mja), "%s: %.400s", ja, path);
	probe_line_error(c->ctx, file, line, mja, men);
	if (partial)
		probe_partial(c->ctx);
}

/* sudo reads the files of an includedir in lexical order, skipping names
 * that end in '~' or contain a '.', and anything not a regular file. */
static bool includedir_skips(const char *name)
{
	size_t n = strlen(name);
	return n == 0 || name[n - 1] == '~' || strchr(name, '.');
}

/* An include directive: the walker resolves it (sd_expand, relative to
 * the including file) and reads it through sd_file. */
static void on_include(void *userdata, const char *file, unsigned line, const char *path,
		       int is_dir)
{
	struct collect *c = userdata;
	if (c->err == 0 && confwalk_include_path(c->w, NULL, path, is_dir, line) == -ENOMEM)
		c->err = -ENOMEM;
}

/* One sudoers file read by the walker: its fact, then its rules (its
 * includes are read from inside, through on_include). */
static void sd_file(struct confwalk *w, const char *path, const char *buf, size_t len, void *ud)
{
	struct collect *c = ud;
	unsigned outer_errors = c->errors;
	int r = c->err ? c->err : add_file_fact(c, path);
	c->errors = 0;
	if (r == 0)
		r = sudoers_parse(c->s, path, buf, len, on_parse_error, on_include, c);
	if (c->errors > LIMIT_LINE_MESSAGES)
		probe_msg(c->ctx, "%s: ほかに %u 件の構文エラーがあります (表示を省略)",
			  "%s: %u more syntax errors not shown", path,
			  c->errors - LIMIT_LINE_MESSAGES);
	c->errors = outer_errors;
	if (r < 0)
		c->err = r;
}

/* %h is the root's short host name; the walker makes the path relative
 * to the including file's directory. */
static int sd_expand(struct confwalk *w, const char *target, char **ret, void *ud)
{
	const struct collect *c = ud;
	return sudoers_include_path(NULL, target, c->hostname, ret);
}

/* An include whose path was refused, or a directory that cannot be
 * listed: no file fact (no file was named). */
static void sd_bad_include(struct collect *c, const struct confwalk_event *ev)
{
	if (ev->target && ev->err == -ENODATA)
		include_error(c, ev->from, ev->line, ev->path,
			      "%h in an include, but the host name is unknown",
			      "include に %h がありますが、ホスト名が不明です", true);
	else if (ev->target)
		include_error(c, ev->from, ev->line, ev->path, "bad include path",
			      "include のパスが不正です", true);
	else if (ev->err == -ENOTDIR)
		include_error(c, ev->from, ev->line, ev->path,
			      "includedir is not a directory, ignored",
			      "includedir がディレクトリではないため無視しました", false);
	else
		probe_file_error(c->ctx, ev->path, ev->err, false);
}

static void sd_unreadable(struct collect *c, const struct confwalk_event *ev)
{
	if (ev->target || ev->dir)
		return sd_bad_include(c, ev);
	if (add_file_fact(c, ev->path) < 0)
		c->err = -ENOMEM;
	else if (ev->err == -ENOENT && ev->from)
		include_error(c, ev->from, ev->line, ev->path, "included file does not exist",
			      "インクルード先のファイルがありません", false);
	else if (ev->err != -ENOENT)
		probe_file_error(c->ctx, ev->path, ev->err, false);
	/* /etc/sudoers missing: no sudo rules at all, said by its fact. */
}

static void sd_problem(struct confwalk *w, const struct confwalk_event *ev, void *ud)
{
	struct collect *c = ud;
	switch (ev->kind) {
	case CONFWALK_LOOP:
		if (add_file_fact(c, ev->path) < 0)
			c->err = -ENOMEM;
		include_error(
		    c, ev->from, ev->line, ev->path,
		    "include loop: file already being read, skipped",
		    "インクルードが循環しています (読み込み中のファイル)。読み飛ばしました", false);
		break;
	case CONFWALK_DEPTH:
		include_error(c, ev->from, ev->line, ev->path,
			      "includes nested too deeply, not read",
			      "インクルードの入れ子が深すぎるため読みません", true);
		break;
	case CONFWALK_TOO_MANY:
		if (!c->limit_reported)
			include_error(
			    c, ev->from, ev->line, ev->path,
			    "too many sudoers files or bytes included; the rest is not read",
			    "読み込む sudoers ファイルが多すぎるため、以降を読みません", true);
		c->limit_reported = true;
		break;
	case CONFWALK_UNREADABLE:
		sd_unreadable(c, ev);
		break;
	case CONFWALK_NO_MATCH: /* confwalk_include_path does not glob */
		break;
	}
}

int sudoers_collect(struct probe_ctx *ctx, json_t *files, const struct sudoers_accounts *accounts,
		    json_t **ret)
{
	struct collect c = {.ctx = ctx, .files = files};
	const struct confwalk_opts wo = {
	    .max_chain = LIMIT_INCLUDE_DEPTH + 1,
	    .max_files = LIMIT_SUDOERS_FILES,
	    .max_bytes = LIMIT_SUDOERS_TOTAL,
	    .max_size = LIMIT_CONFIG_FILE,
	    .guard = CONFWALK_GUARD_INODE,
	    .skip = includedir_skips,
	    .expand = sd_expand,
	    .on_file = sd_file,
	    .on_problem = sd_problem,
	    .ud = &c,
	};
	*ret = NULL;
	c.s = sudoers_new();
	c.w = c.s ? confwalk_new(ctx->root, &wo) : NULL;
	if (!c.w) {
		sudoers_free(c.s);
		return -ENOMEM;
	}
	c.hostname = root_hostname(ctx->root);
	/* Missing means no sudo rules at all ("[]"); unreadable means
	 * unknown (*ret stays NULL). */
	int r = confwalk_read(c.w, "/etc/sudoers", true);
	bool known = r == 0 || r == -ENOENT;
	r = c.err;
	if (r == 0 && known)
		r = sudoers_check(c.s, on_check_error, &c);
	if (c.check_msgs > LIMIT_LINE_MESSAGES)
		probe_msg(ctx, "sudoers: ほかに %u 件のエイリアスの警告があります (表示を省略)",
			  "sudoers: %u more alias warnings not shown",
			  c.check_msgs - LIMIT_LINE_MESSAGES);
	if (r == 0 && known) {
		*ret = sudoers_entries(c.s, c.hostname, accounts);
		r = *ret ? 0 : -ENOMEM;
	}
	free(c.hostname);
	confwalk_free(c.w);
	sudoers_free(c.s);
	return r;
}
