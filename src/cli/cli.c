/* cli: the command table and option helpers */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} commands[] = {
    {"serve", cmd_serve, "run the server"},
    {"admin", cmd_admin, "create and list accounts, users and keys"},
};

const char *cli_opt(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0 || strncmp(argv[i] + 2, name, n) != 0)
            continue;
        const char *rest = argv[i] + 2 + n;
        if (*rest == '=')
            return rest + 1;
        if (*rest == 0 && i + 1 < argc)
            return argv[i + 1];
    }
    return NULL;
}

const char *cli_store(int argc, char **argv)
{
    const char *db = cli_opt(argc, argv, "db"), *dir = cli_opt(argc, argv, "data");
    if (!db || !*db)
        db = getenv("LIANJIE_DB");
    if (db && *db)
        return db;
    return dir ? dir : "./lianjie-data";
}

int cli_flag(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, name) == 0)
            return 1;
    return 0;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

/* the entry of known for --name (n bytes); *flag 1 for a flag; NULL if unknown */
static const char *known_opt(const char *const *known, const char *name, size_t n, int *flag)
{
    for (size_t k = 0; known[k]; k++) {
        size_t len = strlen(known[k]);
        *flag = len > 0 && known[k][len - 1] == '!';
        if (len - (size_t)*flag == n && strncmp(known[k], name, n) == 0)
            return known[k];
    }
    return NULL;
}

int cli_check_opts(int argc, char **argv, const char *const *known, int words, const char *cmd)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-') {
            if (words-- > 0)
                continue;
            fprintf(stderr, "%s: unexpected '%s'\n", cmd, a);
            return -1;
        }
        const char *name = a + (a[1] == '-' ? 2 : 1), *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        int flag;
        if (a[1] != '-' || !known_opt(known, name, n, &flag)) {
            fprintf(stderr, "%s: unknown option '%s'\n", cmd, a);
            return -1;
        }
        if (flag || eq)
            continue;
        if (i + 1 >= argc) {
            fprintf(stderr, "%s: --%s needs a value\n", cmd, name);
            return -1;
        }
        i++;
    }
    return 0;
}

static int usage(FILE *to)
{
    fprintf(to, "usage: lianjie <command> [options]   (lianjie <command> --help for its options)\n"
                "\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(to, "  %-8s %s\n", commands[i].name, commands[i].help);
    return to == stdout ? 0 : 2;
}

int cli_main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0)
        return usage(stdout);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "lianjie: unknown command '%s'\n", argv[1]);
    return usage(stderr);
}
