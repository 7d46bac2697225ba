/*
 * cmd-help.c -- "ferry help [COMMAND]".
 */
#include "config.h"

#include <stdio.h>

#include "cmd.h"

static int
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*c;
	size_t			 i;

	(void)ctx;
	if (argc < 2) {
		printf("usage: ferry [-qv] [-c file] command [args]\n\n");
		for (i = 0; cmd_table[i] != NULL; i++)
			printf("  %-8s %s\n", cmd_table[i]->name,
			    cmd_table[i]->summary);
		printf("\n'ferry help COMMAND' describes one; man ferry "
		    "tells everything.\n");
		return EXIT_OK;
	}
	if ((c = cmd_find(argv[1])) == NULL) {
		fprintf(stderr, "ferry: '%s' is not a ferry command (see "
		    "'ferry --help')\n", argv[1]);
		return EXIT_USAGE;
	}
	printf("usage: ferry [-qv] [-c file] %s %s\n\n%s\n\n%s\n", c->name,
	    c->usage, c->summary, c->help);
	return EXIT_OK;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "[command]",
	.summary = "describe a command",
	.help = "Without a command, lists them all.",
	.exec = cmd_help_exec,
};
