/*
 * cmd-check.c -- "ferry check": validate the configuration and print it
 * with every default filled in.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "err.h"

static int
cmd_check_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conf	*conf = NULL;
	struct buf	 b = BUF_INIT;

	if (getopt(argc, argv, "") != -1 || optind != argc) {
		cmd_usage(&cmd_check_entry);
		return EXIT_USAGE;
	}
	if (cmd_load_conf(ctx, &conf) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		return EXIT_USAGE;
	}
	conf_print(conf, &b);
	fputs(b.ptr ? b.ptr : "", stdout);
	buf_free(&b);
	conf_free(conf);
	return EXIT_OK;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "",
	.summary = "validate the configuration and print it in full",
	.help = "Reads the configuration, reports every problem with the "
	    "file, the key and\nthe value, and prints the effective "
	    "configuration (defaults included).\nExit status 2 when the "
	    "configuration is not valid.",
	.exec = cmd_check_exec,
};
