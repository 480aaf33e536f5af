/*
 * cli: `lianjie <command>`. One file per command (cmd_<name>.c), listed in cli.c.
 * Commands call core and store; never HTTP.
 */
#ifndef LJ_CLI_H
#define LJ_CLI_H

int cli_main(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_admin(int argc, char **argv);

/* finds --name VALUE (or --name=VALUE) in argv; NULL if absent */
const char *cli_opt(int argc, char **argv, const char *name);
/* the store a command works on: --db URL, else $LIANJIE_DB, else the --data directory (default
 * ./lianjie-data) */
const char *cli_store(int argc, char **argv);
/* 1 when argv asks for help: --help or -h */
int cli_wants_help(int argc, char **argv);
/*
 * every option of argv (from argv[1]) is one of `known` (NULL-terminated; a name ending in
 * '!' is a flag that takes no value; the others take the next word or =VALUE), and other
 * words are at most `words` (a command's nouns and verbs): 0, or -1 after telling what is
 * wrong on stderr, `cmd: …`
 */
int cli_check_opts(int argc, char **argv, const char *const *known, int words, const char *cmd);
/* 1 if the bare flag --name is present */
int cli_flag(int argc, char **argv, const char *name);

#endif
