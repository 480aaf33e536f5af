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
/* 1 if the bare flag --name is present */
int cli_flag(int argc, char **argv, const char *name);

#endif
