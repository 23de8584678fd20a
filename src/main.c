/* main.c - the ganxun command line: serve, migrate, user, audit, key,
 * backup, demo, version. Every subcommand takes --db URL (or GANXUN_DB),
 * --key-file PATH (or GANXUN_KEY_FILE) and --crypto aes|sm (or
 * GANXUN_CRYPTO). */
#include "area.h"
#include "account/account.h"
#include "audit/audit.h"
#include "base/crypto.h"
#include "base/util.h"
#include "cadre/rekey.h"
#include "demo/demo.h"
#include "http/router.h"
#include "http/server.h"
#include "store/db.h"
#include "store/migrate.h"
#include "version.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DB "sqlite:data/ganxun.db"
#define DEFAULT_KEY "data/ganxun.key"

static const char *db_url;
static const char *key_file;
static const char *crypto_alg; /* NULL: as the database says (aes for a new one) */

static const char usage_main[] =
    "usage: ganxun [--db URL] [--key-file PATH] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  serve         run the HTTP server\n"
    "  migrate       bring the database schema up to date\n"
    "  user add      create an account (operator; reads the password from stdin)\n"
    "  audit verify  check the audit log's hash chain (audit checkpoint: pin its head)\n"
    "  key rotate    re-encrypt ID numbers and phones under a new key (key status: where they are)\n"
    "  backup        copy a SQLite database online\n"
    "  demo          fill an empty database with demonstration data\n"
    "  openapi       print the OpenAPI 3.1 document of the API (for generated client types)\n"
    "  version       print the version\n"
    "\n"
    "common options (each also accepted after the command):\n"
    "  --db URL         sqlite:PATH or postgresql://USER@HOST/DB (env GANXUN_DB; default " DEFAULT_DB ")\n"
    "  --key-file PATH  master key, kept outside the database (env GANXUN_KEY_FILE; default " DEFAULT_KEY ")\n"
    "  --crypto ALG     aes (AES-256-GCM, HMAC-SHA256) or sm (SM4, SM3) for personal data, chosen when the\n"
    "                   database is created and refused when it disagrees (env GANXUN_CRYPTO)\n"
    "\n"
    "Run 'ganxun COMMAND --help' for the options of a command.\n";

/* Common options, shared by every command's option table. */
#define COMMON_OPTS {"db", required_argument, NULL, 'D'}, {"key-file", required_argument, NULL, 'K'}, {"crypto", required_argument, NULL, 'C'}, {"help", no_argument, NULL, 'h'}

static int common_opt(int c)
{
    if (c == 'D')
        db_url = optarg;
    else if (c == 'K')
        key_file = optarg;
    else if (c == 'C')
        crypto_alg = optarg;
    else
        return 0;
    return 1;
}

/* Create the folder of a sqlite: URL when it is missing (data/). */
static void ensure_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return;
    char dir[1024];
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (mkdir(dir, 0700) && errno != EEXIST)
        fprintf(stderr, "ganxun: cannot create %s: %s\n", dir, strerror(errno));
}

static db *open_db(void)
{
    char err[512];
    if (!strncmp(db_url, "sqlite:", 7))
        ensure_dir_of(db_url + 7);
    db *d = db_open(db_url, err, sizeof err);
    if (!d)
        gx_die("%s", err);
    return d;
}

/* The audit checkpoint file lives beside the key file: data/ganxun.key ->
 * data/ganxun.checkpoints. */
static char checkpoint_path[1100];

static void set_checkpoint_path(void)
{
    size_t n = strlen(key_file);
    if (n > 4 && !strcmp(key_file + n - 4, ".key"))
        n -= 4;
    snprintf(checkpoint_path, sizeof checkpoint_path, "%.*s.checkpoints", (int)n, key_file);
    audit_set_checkpoint_file(checkpoint_path);
}

static void load_key(int create)
{
    char err[512];
    if (create)
        ensure_dir_of(key_file);
    if (gx_key_load(key_file, create, err, sizeof err))
        gx_die("%s", err);
    set_checkpoint_path();
}

/* After a command that appended audit entries: pin the new head. */
static void checkpoint_now(db *d)
{
    char err[512];
    if (audit_checkpoint(d, err, sizeof err) < 0)
        fprintf(stderr, "ganxun: warning: audit checkpoint: %s\n", err);
}

/* Migrations, then the algorithm and key generation personal data is
 * sealed under (chosen with the database; every process must agree). */
static void do_migrate(db *d, int quiet)
{
    char err[512];
    int n = migrate_run(d, err, sizeof err);
    if (n < 0)
        gx_die("%s", err);
    if (!quiet || n > 0)
        printf("schema at version %d (%d migration%s applied)\n", migrate_latest(), n, n == 1 ? "" : "s");
    if (crypto_bind(d, crypto_alg, err, sizeof err))
        gx_die("%s", err);
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("ganxun %s\n", GX_VERSION);
    return 0;
}

static int cmd_migrate(int argc, char **argv)
{
    static const struct option o[] = {COMMON_OPTS, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (common_opt(c))
            continue;
        fputs("usage: ganxun migrate [--db URL]\n"
              "Apply every pending schema migration (the server also does this at start).\n",
              c == 'h' ? stdout : stderr);
        return c == 'h' ? 0 : 2;
    }
    load_key(1);
    db *d = open_db();
    do_migrate(d, 0);
    db_close(d);
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    static const struct option o[] = {COMMON_OPTS,
                                      {"listen", required_argument, NULL, 'l'},
                                      {"threads", required_argument, NULL, 't'},
                                      {"trust-proxy", no_argument, NULL, 'p'},
                                      {"secure-cookies", no_argument, NULL, 's'},
                                      {"access-log", no_argument, NULL, 'a'},
                                      {"timeout", required_argument, NULL, 'T'},
                                      {"max-per-ip", required_argument, NULL, 'm'},
                                      {0, 0, 0, 0}};
    server_opts so = {.api = areas_api(), .listen = "127.0.0.1:8080", .threads = (int)sysconf(_SC_NPROCESSORS_ONLN),
                      .timeout = 30, .max_per_ip = -1};
    int c;
    int64_t v;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (common_opt(c))
            continue;
        switch (c) {
        case 'l': so.listen = optarg; break;
        case 't':
            if (gx_parse_i64(optarg, strlen(optarg), 1, 256, &v))
                gx_die("--threads wants 1..256");
            so.threads = (int)v;
            break;
        case 'T':
            if (gx_parse_i64(optarg, strlen(optarg), 1, 3600, &v))
                gx_die("--timeout wants 1..3600 seconds");
            so.timeout = (int)v;
            break;
        case 'm':
            if (gx_parse_i64(optarg, strlen(optarg), 0, 4096, &v))
                gx_die("--max-per-ip wants 0..4096 (0: no limit)");
            so.max_per_ip = (int)v;
            break;
        case 'p': so.trust_proxy = 1; break;
        case 's': so.secure_cookies = 1; break;
        case 'a': so.access_log = 1; break;
        default:
            fputs("usage: ganxun serve [--db URL] [--listen HOST:PORT] [--threads N] [--timeout SECONDS]\n"
                  "                    [--max-per-ip N] [--trust-proxy] [--secure-cookies] [--access-log]\n"
                  "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; port 0 picks one)\n"
                  "  --threads N         worker threads, each with its own database connection (default: cores)\n"
                  "  --timeout SECONDS   close connections idle this long, or whose request (headers and body,\n"
                  "                      plus 1 s per 16 KiB of body) takes longer to arrive (default 30)\n"
                  "  --max-per-ip N      connections one client address may hold (default 128; with\n"
                  "                      --trust-proxy 0, no limit: every client is the proxy)\n"
                  "  --trust-proxy       take the client address from X-Real-IP/X-Forwarded-For (behind nginx)\n"
                  "  --secure-cookies    mark the session cookie Secure (TLS terminated by a proxy)\n"
                  "  --access-log        log every request to stderr\n",
                  c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    if (so.threads < 1)
        so.threads = 2;
    if (so.max_per_ip < 0) /* behind a proxy every connection comes from it: nginx limits per client */
        so.max_per_ip = so.trust_proxy ? 0 : 128;
    load_key(1);
    db *d = open_db();
    do_migrate(d, 1);
    db_close(d);
    so.db_url = db_url;
    if (audit_checkpointer_start(db_url, 60))
        gx_die("cannot start the audit checkpoint thread");
    if (crypto_watch_start(db_url, CRYPTO_WATCH_MS))
        gx_die("cannot start the key state thread");
    int rc = server_run(&so);
    crypto_watch_stop();
    audit_checkpointer_stop(); /* writes the last checkpoint */
    return rc;
}

static int read_password_stdin(char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin))
        return -1;
    size_t l = strlen(out);
    while (l && (out[l - 1] == '\n' || out[l - 1] == '\r'))
        out[--l] = 0;
    return l ? 0 : -1;
}

static int cmd_user(int argc, char **argv)
{
    static const char usage[] =
        "usage: ganxun user add --username NAME --role ROLE[,ROLE] [--unit ID] --password-stdin\n"
        "Create an account as the operator. The password is read from the first line of standard input\n"
        "and must satisfy the security policy; the account need not change it at first login.\n"
        "Roles: sysadmin secadmin auditor (each exclusive: 三员分立), orgadmin instadmin liaison advisor\n"
        "lecturer trainee (a liaison needs --unit).\n";
    if (argc < 2 || strcmp(argv[1], "add")) {
        int help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
        fputs(usage, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    argc--;
    argv++;
    static const struct option o[] = {COMMON_OPTS,
                                      {"username", required_argument, NULL, 'u'},
                                      {"role", required_argument, NULL, 'r'},
                                      {"unit", required_argument, NULL, 'n'},
                                      {"password-stdin", no_argument, NULL, 'P'},
                                      {0, 0, 0, 0}};
    const char *username = NULL;
    char roles_arg[256] = "";
    int64_t unit = 0;
    int pw_stdin = 0, c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (common_opt(c))
            continue;
        switch (c) {
        case 'u': username = optarg; break;
        case 'r': snprintf(roles_arg, sizeof roles_arg, "%s", optarg); break;
        case 'n':
            if (gx_parse_i64(optarg, strlen(optarg), 1, INT64_MAX, &unit))
                gx_die("--unit wants a unit id");
            break;
        case 'P': pw_stdin = 1; break;
        default:
            fputs(usage, c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    if (!username || !roles_arg[0] || !pw_stdin) {
        fputs(usage, stderr);
        return 2;
    }
    uint32_t roles = 0;
    for (char *save = NULL, *tok = strtok_r(roles_arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        uint32_t b = role_bit(tok);
        if (!b)
            gx_die("unknown role '%s'", tok);
        roles |= b;
    }
    char pw[256];
    if (read_password_stdin(pw, sizeof pw))
        gx_die("no password on standard input");
    load_key(1);
    db *d = open_db();
    do_migrate(d, 1);
    char err[512];
    int rc = user_add_cli(d, username, roles, unit, pw, err, sizeof err);
    if (!rc)
        checkpoint_now(d);
    db_close(d);
    if (rc)
        gx_die("%s", err);
    printf("user %s added\n", username);
    return 0;
}

/* The subcommand of a command with two (audit verify|checkpoint, key
 * rotate|status): 1 for yes, 0 for no; otherwise the usage is printed and
 * the answer is -1 (help asked: exit 0) or -2 (a usage error: exit 2). */
static int subcommand(int argc, char **argv, const char *yes, const char *no, const char *usage)
{
    if (argc >= 2 && (!strcmp(argv[1], yes) || !strcmp(argv[1], no)))
        return !strcmp(argv[1], yes);
    int help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
    fputs(usage, help ? stdout : stderr);
    return help ? -1 : -2;
}

static int cmd_audit(int argc, char **argv)
{
    static const char usage[] =
        "usage: ganxun audit verify|checkpoint [--db URL] [--key-file PATH]\n"
        "  verify      check the hash chain of the audit log against the database's head and every\n"
        "              checkpoint; exit status 1 names the first bad entry\n"
        "  checkpoint  append the current head to the checkpoint file now (the server does this\n"
        "              every minute and at shutdown)\n"
        "The checkpoint file sits beside the key file (KEY without .key, plus .checkpoints).\n";
    int verify = subcommand(argc, argv, "verify", "checkpoint", usage);
    if (verify < 0)
        return verify == -1 ? 0 : 2;
    argc--;
    argv++;
    static const struct option o[] = {COMMON_OPTS, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (common_opt(c))
            continue;
        fputs(usage, c == 'h' ? stdout : stderr);
        return c == 'h' ? 0 : 2;
    }
    load_key(0);
    db *d = open_db();
    crypto_audit_bind(d); /* HMAC-SM3 or HMAC-SHA256, as the chain began */
    if (!verify) {
        char err[512];
        int rc = audit_checkpoint(d, err, sizeof err);
        db_close(d);
        if (rc < 0) {
            fprintf(stderr, "ganxun: %s\n", err);
            return 1;
        }
        printf(rc ? "checkpoint written to %s\n" : "%s already holds the current head\n", checkpoint_path);
        return 0;
    }
    audit_check ck;
    int rc = audit_verify(d, &ck);
    if (rc)
        gx_die("cannot read the audit log: %s", db_errmsg(d));
    db_close(d);
    if (ck.checkpoint_bad > 0)
        printf("warning: %lld line(s) of %s do not authenticate (ignored)\n", (long long)ck.checkpoint_bad,
               checkpoint_path);
    else if (ck.checkpoint_bad < 0)
        printf("warning: cannot read %s\n", checkpoint_path);
    if (!ck.ok) {
        printf("audit log BROKEN at entry %lld: %s\n", (long long)ck.first_bad_id, ck.reason);
        return 1;
    }
    printf("audit log intact: %lld entries checked\n", (long long)ck.checked);
    if (ck.checkpoints)
        printf("checkpoints: %lld compared, the newest at entry %lld\n", (long long)ck.checkpoints,
               (long long)ck.checkpoint_seq);
    else
        printf("warning: no checkpoint in %s: entries cut off the end could not be detected\n", checkpoint_path);
    return 0;
}

static int cmd_key(int argc, char **argv)
{
    static const char usage[] =
        "usage: ganxun key rotate [--new-key-file PATH] [--to aes|sm] [--batch N] [--max-batches N] [--pause MS]\n"
        "       ganxun key add [--new-key-file PATH]\n"
        "       ganxun key status\n"
        "  rotate  add a key generation to the key file (a random key, or the 64 hex characters in PATH)\n"
        "          and re-encrypt every ID number and phone and recompute their blind indexes under it,\n"
        "          in batches of N cadres (default 500), each its own transaction, while servers keep\n"
        "          serving; --to sm moves an AES database to SM4/SM3 (or back). An interrupted rotation\n"
        "          (or one stopped by --max-batches) resumes where it stopped when run again.\n"
        "          --pause MS sleeps between batches. Audited (key.rotate_start, _resume, _done).\n"
        "  add     only add the new key generation to the key file (to copy the file to every host\n"
        "          before 'key rotate', which then uses it)\n"
        "  status  the algorithm and key generation in use, a rotation's progress, values per generation\n"
        "Every server must read the same key file: with several hosts, 'key add', copy, then 'key rotate'.\n";
    int add = argc >= 2 && !strcmp(argv[1], "add");
    int rotate = add ? 0 : subcommand(argc, argv, "rotate", "status", usage);
    if (rotate < 0)
        return rotate == -1 ? 0 : 2;
    argc--;
    argv++;
    static const struct option o[] = {COMMON_OPTS,
                                      {"new-key-file", required_argument, NULL, 'n'},
                                      {"to", required_argument, NULL, 't'},
                                      {"batch", required_argument, NULL, 'b'},
                                      {"max-batches", required_argument, NULL, 'm'},
                                      {"pause", required_argument, NULL, 'p'},
                                      {0, 0, 0, 0}};
    rekey_opts ro = {.batch = 500, .out = stdout};
    const char *new_key_file = NULL;
    int64_t v;
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (common_opt(c))
            continue;
        switch (c) {
        case 'n': new_key_file = optarg; break;
        case 't':
            if (!(ro.to_alg = gx_alg_parse(optarg)))
                gx_die("--to wants aes or sm");
            break;
        case 'b':
            if (gx_parse_i64(optarg, strlen(optarg), 1, 100000, &v))
                gx_die("--batch wants 1..100000");
            ro.batch = (int)v;
            break;
        case 'm':
            if (gx_parse_i64(optarg, strlen(optarg), 1, INT32_MAX, &v))
                gx_die("--max-batches wants a positive number");
            ro.max_batches = (int)v;
            break;
        case 'p':
            if (gx_parse_i64(optarg, strlen(optarg), 0, 60000, &v))
                gx_die("--pause wants 0..60000 milliseconds");
            ro.pause_ms = (int)v;
            break;
        default:
            fputs(usage, c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    char err[512];
    unsigned char key[GX_KEY_LEN];
    if (new_key_file) {
        if (gx_key_read_hex(new_key_file, key, err, sizeof err))
            gx_die("%s", err);
        ro.new_key = key;
    }
    load_key(0);
    if (add) {
        int gen;
        int rc = gx_key_add(ro.new_key, &gen, err, sizeof err);
        OPENSSL_cleanse(key, sizeof key);
        if (rc)
            gx_die("%s", err);
        printf("key generation %d added to %s: copy it to every host, then run 'ganxun key rotate'\n", gen, key_file);
        return 0;
    }
    db *d = open_db();
    do_migrate(d, 1);
    int rc = rotate ? key_rotate(d, &ro, err, sizeof err) : key_status(d, stdout, err, sizeof err);
    if (rotate)
        checkpoint_now(d);
    db_close(d);
    OPENSSL_cleanse(key, sizeof key);
    if (rc < 0) {
        fprintf(stderr, "ganxun: %s\n", err);
        return 1;
    }
    return rc == 1 ? 3 : 0; /* 3: stopped by --max-batches, run again */
}

static int cmd_backup(int argc, char **argv)
{
    static const struct option o[] = {COMMON_OPTS, {"out", required_argument, NULL, 'o'}, {0, 0, 0, 0}};
    const char *out = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (common_opt(c))
            continue;
        if (c == 'o') {
            out = optarg;
            continue;
        }
        fputs("usage: ganxun backup --out FILE [--db URL]\n"
              "Copy a SQLite database while the server runs (online backup). For PostgreSQL use pg_dump.\n"
              "Keep the key file (--key-file) with the backup, but not in the same place.\n",
              c == 'h' ? stdout : stderr);
        return c == 'h' ? 0 : 2;
    }
    if (!out)
        gx_die("backup needs --out FILE");
    if (access(out, F_OK) == 0)
        gx_die("%s exists; refusing to overwrite", out);
    db *d = open_db();
    char err[512];
    int rc = db_backup(d, out, err, sizeof err);
    db_close(d);
    if (rc) {
        fprintf(stderr, "ganxun: %s\n", err);
        return 1;
    }
    printf("backup written to %s\n", out);
    return 0;
}

static int cmd_demo(int argc, char **argv)
{
    static const struct option o[] = {COMMON_OPTS,
                                      {"cadres", required_argument, NULL, 'n'},
                                      {"seed", required_argument, NULL, 's'},
                                      {0, 0, 0, 0}};
    int64_t ncadres = DEMO_CADRES, seed = 2026;
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (common_opt(c))
            continue;
        if (c == 'n' && !gx_parse_i64(optarg, strlen(optarg), 0, 1000000, &ncadres))
            continue;
        if (c == 's' && !gx_parse_i64(optarg, strlen(optarg), 0, INT64_MAX, &seed))
            continue;
        fputs("usage: ganxun demo [--db URL] [--cadres N] [--seed S]\n"
              "Fill an empty database with a Yangzhou-like city: its units, N cadres (default 5000,\n"
              "at most 1,000,000; the same seed gives the same city) and one account per role.\n"
              "A database that has accounts already is left alone and the exit status is 1.\n",
              c == 'h' ? stdout : stderr);
        return c == 'h' ? 0 : 2;
    }
    load_key(1);
    db *d = open_db();
    do_migrate(d, 1);
    char err[512];
    int64_t t0 = gx_now_ms();
    int rc = demo_build(d, ncadres, (uint64_t)seed, err, sizeof err);
    if (rc == 0)
        checkpoint_now(d);
    db_close(d);
    if (rc < 0)
        gx_die("%s", err);
    if (rc == 1) {
        fprintf(stderr, "ganxun: the database has accounts already; demo fills only an empty database "
                        "(nothing added)\n");
        return 1;
    }
    printf("demo city ready: %lld cadres in %.1f s. accounts (password %s):\n",
           (long long)ncadres, (double)(gx_now_ms() - t0) / 1000.0,
           DEMO_PASSWORD);
    printf("  sysadmin secadmin auditor orgadmin instadmin liaison advisor lecturer trainee\n");
    return 0;
}

static int cmd_openapi(int argc, char **argv)
{
    if (argc > 1) {
        int help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
        fputs("usage: ganxun openapi\nPrint the OpenAPI 3.1 document of the API as JSON (no database needed).\n",
              help ? stdout : stderr);
        return help ? 0 : 2;
    }
    size_t len;
    const char *doc = openapi_json(areas_api(), &len);
    fwrite(doc, 1, len, stdout);
    putchar('\n');
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"serve", cmd_serve},   {"migrate", cmd_migrate}, {"user", cmd_user}, {"audit", cmd_audit}, {"key", cmd_key},
                {"backup", cmd_backup}, {"demo", cmd_demo},       {"openapi", cmd_openapi},
                {"version", cmd_version}};
    areas_init();
    db_url = getenv("GANXUN_DB");
    key_file = getenv("GANXUN_KEY_FILE");
    crypto_alg = getenv("GANXUN_CRYPTO");
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* Whatever this process creates (database, WAL, backups, key and
     * checkpoint files) is for the service user alone. */
    umask(077);
    /* Global options before the command. */
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if ((!strcmp(argv[i], "--db") || !strcmp(argv[i], "--key-file") || !strcmp(argv[i], "--crypto")) &&
            i + 1 < argc) {
            if (!strcmp(argv[i], "--db"))
                db_url = argv[i + 1];
            else if (!strcmp(argv[i], "--crypto"))
                crypto_alg = argv[i + 1];
            else
                key_file = argv[i + 1];
            i++;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_main, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            return cmd_version(0, NULL);
        } else {
            fprintf(stderr, "ganxun: unknown option %s\n\n%s", argv[i], usage_main);
            return 2;
        }
    }
    if (!db_url || !*db_url)
        db_url = DEFAULT_DB;
    if (!key_file || !*key_file)
        key_file = DEFAULT_KEY;
    if (i >= argc) {
        fputs(usage_main, stderr);
        return 2;
    }
    for (size_t k = 0; k < GX_ARRAY_LEN(cmds); k++)
        if (!strcmp(argv[i], cmds[k].name))
            return cmds[k].fn(argc - i, argv + i);
    fprintf(stderr, "ganxun: unknown command '%s'\n\n%s", argv[i], usage_main);
    return 2;
}
