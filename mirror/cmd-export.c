/*
 * cmd-export.c -- "ferry export DIR" and "ferry import DIR": the USB stick.
 *
 * Prints what export.c did and chose; the stick's layout, the order of
 * writes, the manifest and the checks are all export.c's.  "ferry verify
 * DIR" (cmd-verify.c) checks a stick without a mirror.
 */
#include "config.h"

#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "export.h"
#include "store.h"
#include "utc.h"
#include "xmalloc.h"

extern char **environ;

static void
print_stats(const struct export_stats *st, const char *dir)
{
	char	b1[32], b2[32], b3[32], t[UTC_LEN + 1];

	cmd_human(b1, sizeof b1, st->bytes_written);
	cmd_human(b2, sizeof b2, st->history_bytes);
	cmd_human(b3, sizeof b3, st->bytes);
	utc_format(st->expires, t);
	printf("exported %.12s (sequence %llu) to %s in %.2f s\n"
	    "  written:   %zu file%s, %s (history %s%s)\n"
	    "  removed:   %zu file%s; unchanged: %zu\n"
	    "  the stick: %zu files, %s, valid until %.10s\n",
	    st->commit, (unsigned long long)st->sequence, dir, st->seconds,
	    st->written, st->written == 1 ? "" : "s", b1, b2,
	    st->incremental ? ", since the stick's last export" : ", whole",
	    st->removed, st->removed == 1 ? "" : "s", st->unchanged,
	    st->files, b3, t);
}

static void
print_json(const struct export_stats *st, const char *dir)
{
	struct buf	b = BUF_INIT;

	buf_addstr(&b, "{\"dir\":");
	cmd_json_str(&b, dir);
	buf_addf(&b, ",\"commit\":\"%s\",\"sequence\":%llu,"
	    "\"incremental\":%s,\"files\":%zu,\"written\":%zu,"
	    "\"removed\":%zu,\"unchanged\":%zu,\"bytes\":%lld,"
	    "\"bytes_written\":%lld,\"history_bytes\":%lld,"
	    "\"seconds\":%.3f}\n", st->commit,
	    (unsigned long long)st->sequence,
	    st->incremental ? "true" : "false", st->files, st->written,
	    st->removed, st->unchanged, (long long)st->bytes,
	    (long long)st->bytes_written, (long long)st->history_bytes,
	    st->seconds);
	fputs(b.ptr, stdout);
	buf_free(&b);
}

/* Export to dir (shown as name) and say what was done. */
static int
export_to(struct conf *conf, struct store *store, const char *dir,
    const char *name, int flags, int json, int quiet)
{
	struct export_stats	st;
	int			rc;

	if ((rc = export_run(conf, store, dir, flags, &st)) != 0) {
		fprintf(stderr, "ferry: export to '%s' failed: %s\n", name,
		    err_msg());
		return rc == FERRY_ECONFIG ? EXIT_USAGE : EXIT_FATAL;
	}
	if (json)
		print_json(&st, name);
	else if (!quiet)
		print_stats(&st, name);
	return EXIT_OK;
}

/* A label as udev names it in /dev/disk/by-label (blkid's encoding). */
static void
label_encode(const char *label, struct buf *out)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)label; *p != '\0'; p++) {
		if (isalnum(*p) || *p >= 0x80 || strchr("#+-.:=@_", *p) != NULL)
			buf_addc(out, (char)*p);
		else
			buf_addf(out, "\\x%02x", *p);
	}
}

/* Run argv (mount or umount) and wait: 0 when it exits with 0. */
static int
run_tool(char *const argv[])
{
	pid_t	pid;
	int	status, e;

	if ((e = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ)) != 0)
		return err_set("cannot run %s: %s", argv[0], strerror(e));
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return err_set("cannot wait for %s: %s", argv[0],
			    strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set("%s of the stick failed (status %d)", argv[0],
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

static int
mount_stick(const char *dev, const char *dir)
{
	char	*argv[] = { "mount", "-o", "nosuid,nodev,noexec",
		    (char *)(uintptr_t)dev, (char *)(uintptr_t)dir, NULL };

	return run_tool(argv);
}

static void
umount_stick(const char *dir)
{
	char	*argv[] = { "umount", (char *)(uintptr_t)dir, NULL };

	sync();
	if (run_tool(argv) != 0)
		fprintf(stderr, "ferry: %s (unmount it before pulling the "
		    "stick out)\n", err_msg());
	else
		(void)rmdir(dir);
}

/*
 * "export --stick LABEL", from ferry-export@.service: a stick whose label
 * is [export] label is mounted in a private directory, exported to and
 * unmounted; any other is left untouched.
 */
static int
export_stick(struct cmd_ctx *ctx, const char *label, int flags, int json)
{
	struct conf		*conf = NULL;
	struct store		*store = NULL;
	struct buf		 dev = BUF_INIT;
	const char		*byl, *run;
	char			*dir = NULL;
	int			 rc;

	if (cmd_load_conf(ctx, &conf) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		return EXIT_USAGE;
	}
	if (strcmp(label, conf->export_label) != 0) {
		printf("stick '%s' is not labelled '%s' ([export] label of "
		    "%s): not touched\n", label, conf->export_label,
		    conf->file);
		conf_free(conf);
		return EXIT_OK;
	}
	if ((byl = getenv("FERRY_BY_LABEL_DIR")) == NULL)
		byl = "/dev/disk/by-label";
	if ((run = getenv("RUNTIME_DIRECTORY")) == NULL)
		run = "/run";
	buf_addf(&dev, "%s/", byl);
	label_encode(label, &dev);
	xasprintf(&dir, "%s/ferry-stick-XXXXXX", run);
	rc = EXIT_FATAL;
	if (access(dev.ptr, F_OK) != 0)
		fprintf(stderr, "ferry: no file system labelled '%s' (%s: "
		    "%s)\n", label, dev.ptr, strerror(errno));
	else if (mkdtemp(dir) == NULL)
		fprintf(stderr, "ferry: cannot make '%s': %s\n", dir,
		    strerror(errno));
	else if (mount_stick(dev.ptr, dir) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		(void)rmdir(dir);
	} else {
		store_trust_owner();
		conf_free(conf);
		conf = NULL;
		if ((rc = cmd_open_mirror(ctx, &conf, &store, 0)) == EXIT_OK)
			rc = export_to(conf, store, dir, label, flags, json,
			    ctx->quiet);
		store_close(store);
		umount_stick(dir);
	}
	free(dir);
	buf_free(&dev);
	conf_free(conf);
	return rc;
}

static int
cmd_export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "fat32", no_argument, NULL, 'F' },
		{ "json", no_argument, NULL, 'j' },
		{ "stick", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf	*conf = NULL;
	struct store	*store = NULL;
	const char	*label = NULL;
	int		 ch, json = 0, flags = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			flags |= EXPORT_FAT32;
			break;
		case 'j':
			json = 1;
			break;
		case 's':
			label = optarg;
			break;
		default:
			cmd_usage(&cmd_export_entry);
			return EXIT_USAGE;
		}
	}
	if (label != NULL && optind == argc)
		return export_stick(ctx, label, flags, json);
	if (label != NULL || optind + 1 != argc) {
		cmd_usage(&cmd_export_entry);
		return EXIT_USAGE;
	}
	if ((rc = cmd_open_mirror(ctx, &conf, &store, 0)) != EXIT_OK)
		return rc;
	rc = export_to(conf, store, argv[optind], argv[optind], flags, json,
	    ctx->quiet);
	store_close(store);
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "[--fat32] [--json] DIR | --stick LABEL",
	.summary = "write the copy and its history to a USB stick",
	.help = "Writes to DIR (a mounted stick, or any directory) the "
	    "browsable copy\n(index.html, site/, text/, local/, README.txt), "
	    "the history as a git\nrepository (history.git), and MANIFEST: "
	    "every file's path, size and\nSHA-256, the commit, a sequence "
	    "number that only grows, the export time\nand an expiry "
	    "([export] valid-for), signed with the key of [export] key\n"
	    "(MANIFEST.minisig, minisign's format; ferry.pub is the public "
	    "key).\n\n"
	    "A second export to the same stick writes only what changed "
	    "since its\nlast export and removes what was removed.  Each file "
	    "is written under a\ntemporary name and renamed; "
	    "EXPORT-INCOMPLETE.txt marks a stick being\nwritten and is "
	    "removed after the manifest, so a stick pulled out early\nis "
	    "reported by 'ferry verify' and repaired by the next export.  "
	    "Free\nspace is checked before anything is written.  Names are "
	    "checked for\nFAT32, exFAT and NTFS; on FAT32 (or with --fat32) "
	    "a file of 4 GiB or\nmore is refused.\n\n"
	    "  --fat32   apply FAT32's limits whatever DIR's file system\n"
	    "  --json    print what was done as one JSON object\n"
	    "  --stick LABEL\n"
	    "            (for ferry-export@.service) when LABEL is [export] "
	    "label,\n            mount the file system of that label "
	    "(/dev/disk/by-label),\n            export to it and unmount it; "
	    "any other stick is not touched\n\n"
	    "Exit status: 0 exported, 1 the export failed (the stick is "
	    "left\nincomplete, never half-written), 2 bad usage or "
	    "configuration.",
	.exec = cmd_export_exec,
};

static void
print_problem(const char *what, const char *detail, void *arg)
{
	(void)arg;
	printf("%s: %s\n", what, detail);
	fflush(stdout);
}

static int
cmd_import_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "allow-expired", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf		*conf = NULL;
	struct store		*store = NULL;
	struct export_import	 im;
	struct sign_pubkey	 pk;
	int			 ch, allow = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'e') {
			cmd_usage(&cmd_import_entry);
			return EXIT_USAGE;
		}
		allow = 1;
	}
	if (optind + 1 != argc) {
		cmd_usage(&cmd_import_entry);
		return EXIT_USAGE;
	}
	/* The pinned key first: a bad one must not create a mirror. */
	if (cmd_load_conf(ctx, &conf) != 0 ||
	    export_trusted_key(conf, &pk) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		conf_free(conf);
		return EXIT_USAGE;
	}
	conf_free(conf);
	conf = NULL;
	if ((rc = cmd_open_mirror(ctx, &conf, &store,
	    CMD_LOCK | CMD_CREATE)) != EXIT_OK)
		return rc;
	if (export_import(conf, store, argv[optind], &pk, allow,
	    print_problem, NULL, &im) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		store_discard(store);	/* a mirror this import created */
		rc = EXIT_FATAL;
	} else if (im.unchanged || strcmp(im.from, im.commit) == 0)
		printf("%s: already taken in (sequence %llu, commit %.12s); "
		    "nothing to do\n", argv[optind],
		    (unsigned long long)im.sequence, im.commit);
	else
		printf("imported %.12s (sequence %llu) from %s: %s%.12s -> "
		    "%.12s\n  took in %zu pack%s and %zu big file%s; the rest "
		    "was here already\n", im.commit,
		    (unsigned long long)im.sequence, argv[optind],
		    im.from[0] ? "" : "new mirror", im.from, im.commit,
		    im.packs, im.packs == 1 ? "" : "s", im.loose,
		    im.loose == 1 ? "" : "s");
	store_close(store);
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = "[--allow-expired] DIR",
	.summary = "take in a stick made by 'ferry export'",
	.help = "Checks the stick at DIR against the key pinned in [import] "
	    "trusted-key\n(never the key the stick carries): the signature, "
	    "every file's size and\nSHA-256, no file added.  Refuses a "
	    "stick older than the last one taken\nin (its sequence number), "
	    "an expired one (unless --allow-expired: clocks\nat offline "
	    "sites are often wrong, so the sequence number is the main\n"
	    "defence), and history that does not continue this mirror's.  "
	    "Then takes\nin the new history, moves the branch and writes the "
	    "working tree; a crash\nleaves the mirror at the old or the new "
	    "commit.  Taking in the same stick\ntwice does nothing.  The "
	    "mirror is created when it does not exist.\n\n"
	    "Exit status: 0 taken in (or already), 1 refused or failed (the "
	    "mirror\nunchanged), 2 bad usage or configuration.",
	.exec = cmd_import_exec,
};
