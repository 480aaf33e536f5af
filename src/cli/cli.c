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

static int usage(void)
{
    fprintf(stderr, "usage: lianjie <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(stderr, "  %-8s %s\n", commands[i].name, commands[i].help);
    return 2;
}

int cli_main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "lianjie: unknown command '%s'\n", argv[1]);
    return usage();
}
