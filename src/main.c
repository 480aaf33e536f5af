/* lianjie: an open platform server. Entry point; everything starts in cli/. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
