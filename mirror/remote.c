/*
 * remote.c -- the mirror's exchanges with other git repositories: the
 * branch a hub publishes, fetched; this mirror's branch, pushed where it
 * is published; the refs that remember what came from where, and a walk
 * over the commits that came in.
 *
 * Network remotes go through libgit2's transports (https, http, ssh,
 * git).  A directory (a path or a file:// URL) does not: libgit2's local
 * transport packs in memory, each object whole, so a big document would
 * cost its size twice over.  For a directory the objects travel as a
 * stick's history does (transfer.c): a pack of what is new, with the big
 * blobs as loose objects copied a chunk at a time, and the branch moves
 * by compare-and-swap there.  Like transfer.c this file reaches libgit2
 * through store_repository().  Credentials come from [credentials] and
 * go to libgit2 only, never into a message or a log line; remotes are
 * named in messages without any password.  TLS certificates are always
 * checked, and an SSH server must present the key [credentials]
 * ssh-host-key names.  This module decides nothing about what to take in
 * or when: follow.c and publish.c do.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <sodium.h>

#include "buf.h"
#include "conf.h"
#include "err.h"
#include "fsutil.h"
#include "log.h"
#include "remote.h"
#include "store.h"
#include "transfer.h"
#include "xmalloc.h"

#define TOKEN_MAX	4096	/* bytes of a token file read */

/* What the callbacks of one fetch or push know and found. */
struct remote_ctx {
	const struct conf	*conf;
	const char		*url;
	struct sigaction	 old;		/* SIGALRM's, restored after */
	unsigned		 stall;		/* seconds without progress */
	int			 asked;		/* credentials given */
	char			*why;		/* set by a callback */
	char			*rejected;	/* a push's refusal */
};

static volatile sig_atomic_t	remote_stalled;

static void
on_alarm(int sig)
{
	(void)sig;
	remote_stalled = 1;
}

/*
 * libgit2 1.5 has no timeouts: a server that stops answering would hold
 * a pass for ever.  SIGALRM, caught without SA_RESTART, interrupts the
 * blocked read, which then fails; every sign of progress re-arms it.
 */
static void
watchdog_start(struct remote_ctx *c)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	remote_stalled = 0;
	sigaction(SIGALRM, &sa, &c->old);
	c->stall = c->conf->low_speed_time > 0 ?
	    (unsigned)c->conf->low_speed_time : 60;
	alarm(c->stall);
}

static void
watchdog_stop(struct remote_ctx *c)
{
	alarm(0);
	sigaction(SIGALRM, &c->old, NULL);
}

/* A sign of progress: 0 to go on, -1 to give up on a stalled remote. */
static int
progressed(struct remote_ctx *c)
{
	if (remote_stalled)
		return -1;
	alarm(c->stall);
	return 0;
}

static int
on_sideband(const char *str, int len, void *arg)
{
	(void)str;
	(void)len;
	return progressed(arg);
}

static int
on_transfer(const git_indexer_progress *stats, void *arg)
{
	(void)stats;
	return progressed(arg);
}

/* Packing what a push sends can take long before the first byte goes. */
static int
on_packing(int stage, uint32_t current, uint32_t total, void *arg)
{
	(void)stage;
	(void)current;
	(void)total;
	return progressed(arg);
}

static int
on_push_transfer(unsigned int current, unsigned int total, size_t bytes,
    void *arg)
{
	(void)current;
	(void)total;
	(void)bytes;
	return progressed(arg);
}

/* "https://host/r" in messages: never a password. */
static const char *
shown(const char *url, struct buf *b)
{
	buf_reset(b);
	conf_remote_display(url, b);
	return buf_cstr(b);
}

static int	ctx_fail(struct remote_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
ctx_fail(struct remote_ctx *c, const char *fmt, ...)
{
	va_list	ap;

	free(c->why);
	va_start(ap, fmt);
	if (vasprintf(&c->why, fmt, ap) == -1)
		c->why = NULL;
	va_end(ap);
	return -1;
}

/* Is url plain http to a host other than this machine? */
static int
cleartext(const char *url)
{
	static const char *const local[] = {
		"http://127.", "http://localhost/", "http://localhost:",
		"http://[::1]"
	};
	size_t	i;

	if (strncmp(url, "http://", 7) != 0)
		return 0;
	for (i = 0; i < sizeof local / sizeof local[0]; i++)
		if (strncmp(url, local[i], strlen(local[i])) == 0)
			return 0;
	return 1;
}

/* The token: the first line of the token file, without blanks. */
static int
read_token(struct remote_ctx *c, struct buf *tok)
{
	const char	*file = c->conf->token_file;
	size_t		 n;

	buf_init(tok, TOKEN_MAX);
	if (fsutil_read(file, tok) != 0)
		return ctx_fail(c, "cannot read the token file '%s' (check "
		    "[credentials] token-file)", file);
	n = strcspn(buf_cstr(tok), "\r\n");
	while (n > 0 && (tok->ptr[n - 1] == ' ' || tok->ptr[n - 1] == '\t'))
		n--;
	if (n == 0)
		return ctx_fail(c, "the token file '%s' is empty", file);
	tok->ptr[n] = '\0';
	tok->len = n;
	return 0;
}

static int
userpass(git_credential **out, struct remote_ctx *c, const char *user)
{
	struct buf	tok = BUF_INIT;
	int		rc;

	if (c->conf->token_file == NULL)
		return ctx_fail(c, "it asks for a user and password (name a "
		    "file holding an access token with [credentials] "
		    "token-file)");
	if (cleartext(c->url))
		return ctx_fail(c, "the token would travel unencrypted to "
		    "'%s' (use an https URL)", c->url);
	if (read_token(c, &tok) != 0) {
		buf_free(&tok);
		return -1;
	}
	rc = git_credential_userpass_plaintext_new(out, user, tok.ptr);
	sodium_memzero(tok.ptr, tok.len);
	buf_free(&tok);
	return rc;
}

static int
credentials(git_credential **out, const char *url, const char *url_user,
    unsigned int allowed, void *arg)
{
	struct remote_ctx	*c = arg;
	const char		*user;

	(void)url;
	if (allowed & GIT_CREDENTIAL_USERNAME)	/* ssh, before the key */
		return git_credential_username_new(out,
		    url_user != NULL ? url_user : "git");
	/* Asked again: what was given was refused.  Once is enough. */
	if (c->asked++ > 0)
		return ctx_fail(c, "it refused the credentials (check "
		    "[credentials] and the account's rights there)");
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		user = url_user != NULL ? url_user : "git";
		if (c->conf->ssh_key != NULL)
			return git_credential_ssh_key_new(out, user, NULL,
			    c->conf->ssh_key, NULL);
		return git_credential_ssh_key_from_agent(out, user);
	}
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		user = c->conf->token_user != NULL ? c->conf->token_user :
		    url_user != NULL ? url_user : "ferry";
		return userpass(out, c, user);
	}
	return ctx_fail(c, "it asks for credentials ferry cannot give "
	    "(use a token over https or a key over ssh)");
}

/* TLS: libgit2's verdict.  SSH: the host key must be the one named. */
static int
certificate(git_cert *cert, int valid, const char *host, void *arg)
{
	struct remote_ctx	*c = arg;
	git_cert_hostkey	*hk;
	char			 b64[64], *want;
	int			 rc;

	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2) {
		if (valid)
			return 0;
		return ctx_fail(c, "the TLS certificate of '%s' is not "
		    "trusted (refused)", host);
	}
	hk = (git_cert_hostkey *)cert;
	if (!(hk->type & GIT_CERT_SSH_SHA256))
		return ctx_fail(c, "the SSH server '%s' gave no SHA-256 key "
		    "fingerprint (refused)", host);
	sodium_bin2base64(b64, sizeof b64, hk->hash_sha256, 32,
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	if (c->conf->ssh_host_key != NULL &&
	    strcmp(c->conf->ssh_host_key + 7, b64) == 0)
		return 0;
	xasprintf(&want, "SHA256:%s", b64);
	rc = ctx_fail(c, c->conf->ssh_host_key == NULL ?
	    "the SSH server's key is %s, and none is pinned (if that is the "
	    "server's key, set [credentials] ssh-host-key to it)" :
	    "the SSH server's key is %s, not the one [credentials] "
	    "ssh-host-key names (refused: the server changed, or someone "
	    "is in between)", want);
	free(want);
	return rc;
}

static int
push_ref(const char *ref, const char *status, void *arg)
{
	struct remote_ctx	*c = arg;

	(void)ref;
	if (status != NULL && c->rejected == NULL)
		c->rejected = xstrdup(status);
	return 0;
}

static void
ctx_init(struct remote_ctx *c, const struct conf *conf, const char *url,
    git_remote_callbacks *cb)
{
	memset(c, 0, sizeof *c);
	c->conf = conf;
	c->url = url;
	cb->credentials = credentials;
	cb->certificate_check = certificate;
	cb->sideband_progress = on_sideband;
	cb->transfer_progress = on_transfer;
	cb->push_transfer_progress = on_push_transfer;
	cb->pack_progress = on_packing;
	cb->payload = c;
	if (conf->ca_file != NULL)
		git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, conf->ca_file,
		    NULL);
}

/* "cannot WHAT 'URL': why", the callbacks' reason first. */
static int
ctx_error(struct remote_ctx *c, const char *what)
{
	const git_error	*e = git_error_last();
	struct buf	 u = BUF_INIT;
	const char	*why;

	why = c->why != NULL ? c->why : e && e->message ? e->message :
	    "unknown libgit2 error";
	if (remote_stalled)
		err_set("cannot %s '%s': no answer for %u s (timed out; "
		    "[fetch] low-speed-time sets how long to wait)", what,
		    shown(c->url, &u), c->stall);
	else
		err_set("cannot %s '%s': %s", what, shown(c->url, &u), why);
	buf_free(&u);
	free(c->why);
	free(c->rejected);
	return -1;
}

static void
ctx_free(struct remote_ctx *c)
{
	free(c->why);
	free(c->rejected);
}

/*
 * An anonymous remote for url, as given: no url.*.insteadOf rewriting
 * from any configuration (which, besides, leaks in libgit2 1.5's regex
 * matching of every configuration entry).
 */
static int
open_remote(struct store *s, const char *url, git_remote **out)
{
	git_remote_create_options	opts = GIT_REMOTE_CREATE_OPTIONS_INIT;

	opts.repository = store_repository(s);
	opts.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
	    GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	return git_remote_create_with_opts(out, url, &opts);
}

/* The tip of refs/heads/branch as the remote listed it. */
static int
listed_tip(git_remote *r, const char *branch, git_oid *out)
{
	const git_remote_head	**heads;
	size_t			  i, n;
	char			 *name;
	int			  rc = FERRY_ENOTFOUND;

	if (git_remote_ls(&heads, &n, r) < 0)
		return -1;
	xasprintf(&name, "refs/heads/%s", branch);
	for (i = 0; i < n; i++)
		if (strcmp(heads[i]->name, name) == 0) {
			git_oid_cpy(out, &heads[i]->oid);
			rc = 0;
			break;
		}
	free(name);
	return rc;
}

/* The directory of a remote that is one (a path, file://), or NULL. */
static const char *
local_dir(const char *url)
{
	if (url[0] == '/')
		return url;
	if (strncmp(url, "file://", 7) == 0 && url[7] == '/')
		return url + 7;
	return NULL;
}

static int
open_dir(const char *dir, git_repository **out)
{
	if (git_repository_open_bare(out, dir) < 0)
		return err_set("'%s' is not a bare git repository (make one "
		    "with 'git init --bare %s')", dir, dir);
	return 0;
}

/* The commit ref names in the repository r: FERRY_ENOTFOUND when none. */
static int
dir_tip(git_repository *r, const char *ref, git_oid *out)
{
	int	grc = git_reference_name_to_id(out, r, ref);

	if (grc == GIT_ENOTFOUND)
		return FERRY_ENOTFOUND;
	return grc < 0 ? store_git_fail("cannot read ref", ref) : 0;
}

static int
fd_write(void *arg, const void *p, size_t n)
{
	if (fsutil_write_all(*(int *)arg, p, n) == -1)
		return err_set("cannot write: %s", strerror(errno));
	return 0;
}

/*
 * Write dst from the loose object hex of s, a chunk at a time, under a
 * temporary name, then rename: a reader of the directory never sees
 * half a file.
 */
static int
put_loose(struct store *s, const char *hex, const char *dst)
{
	char	*tmp;
	int	 out, rc;

	xasprintf(&tmp, "%s.tmp.%ld", dst, (long)getpid());
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0444)) == -1) {
		rc = err_set("cannot create '%s': %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	rc = transfer_loose(s, hex, fd_write, &out);
	if (close(out) == -1 && rc == 0)
		rc = err_set("cannot write '%s': %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, dst) == -1)
		rc = err_set("cannot rename '%s' to '%s': %s", tmp, dst,
		    strerror(errno));
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* The pack (then its index) and the big blobs into dir's objects. */
static int
put_objects(struct store *s, const char *dir, const char *tmp,
    const struct transfer_pack *tp)
{
	struct stat	 st;
	char		*src = NULL, *dst = NULL, *sub = NULL;
	size_t		 i;
	int		 rc = 0;

	xasprintf(&sub, "%s/objects/pack", dir);
	rc = fsutil_mkdirs(sub, 0755);
	free(sub);
	for (i = 0; rc == 0 && tp->pack[0] != '\0' && i < 2; i++) {
		xasprintf(&src, "%s/%s.%s", tmp, tp->pack, i ? "idx" : "pack");
		xasprintf(&dst, "%s/objects/pack/%s.%s", dir, tp->pack,
		    i ? "idx" : "pack");
		rc = fsutil_copy_atomic(src, dst, 0444);
		free(src);
		free(dst);
	}
	for (i = 0; rc == 0 && i < tp->nloose; i++) {
		xasprintf(&sub, "%s/objects/%.2s", dir, tp->loose[i]);
		xasprintf(&dst, "%s/%s", sub, tp->loose[i] + 2);
		if (stat(dst, &st) != 0 && (rc = fsutil_mkdirs(sub, 0755)) == 0)
			rc = put_loose(s, tp->loose[i], dst);
		free(sub);
		free(dst);
	}
	return rc;
}

/*
 * Push HEAD to the bare repository dir: the objects it lacks, then its
 * branch by compare-and-swap (only a fast-forward).
 */
static int
push_dir(struct store *s, const struct conf *conf, const char *dir,
    const char *branch)
{
	struct transfer_pack	 tp;
	git_repository		*r = NULL;
	git_reference		*ref = NULL;
	git_oid			 old, id;
	char			 head[STORE_OIDLEN + 1], since[STORE_OIDLEN + 1];
	char			*tmp = NULL;
	int			 has_old, rc = -1, grc;

	memset(&tp, 0, sizeof tp);
	if (store_head(s, head) != 0 || open_dir(dir, &r) != 0)
		goto out;
	if ((has_old = dir_tip(r, branch, &old) == 0))
		git_oid_tostr(since, sizeof since, &old);
	else if (dir_tip(r, branch, &old) != FERRY_ENOTFOUND)
		goto out;
	if (has_old && strcmp(since, head) == 0) {
		rc = 0;
		goto out;
	}
	if (has_old && remote_descends(s, head, since) != 1) {
		err_set("its branch is at %.12s, which this mirror's history "
		    "does not contain (the push was refused; nothing was "
		    "changed there)", since);
		goto out;
	}
	xasprintf(&tmp, "%s/tmp/publish-%ld", store_private(s),
	    (long)getpid());
	if (fsutil_mkdirs(tmp, 0700) != 0 ||
	    transfer_pack(s, head, has_old ? since : NULL, tmp, &tp) != 0 ||
	    put_objects(s, dir, tmp, &tp) != 0 ||
	    (conf->fsync && fsutil_syncfs(dir) != 0))
		goto out;
	git_oid_fromstr(&id, head);
	grc = has_old ? git_reference_create_matching(&ref, r, branch, &id, 1,
	    &old, "ferry publish") : git_reference_create(&ref, r, branch,
	    &id, 0, "ferry publish");
	if (grc < 0) {
		store_git_fail("cannot move the branch of", dir);
		goto out;
	}
	rc = 0;
out:
	if (tmp != NULL)
		(void)fsutil_rmtree(tmp);
	free(tmp);
	transfer_pack_free(&tp);
	git_reference_free(ref);
	git_repository_free(r);
	return rc;
}

/* Each pack, then each loose object, of dir that this mirror lacks. */
static int
take_objects(struct store *s, const char *dir)
{
	struct dirent	*d;
	DIR		*dp;
	char		*sub, *f, hex[STORE_OIDLEN + 1];
	int		 i, rc = 0;

	for (i = -1; rc == 0 && i < 256; i++) {
		if (i < 0)
			xasprintf(&sub, "%s/objects/pack", dir);
		else
			xasprintf(&sub, "%s/objects/%02x", dir, i);
		if ((dp = opendir(sub)) == NULL) {
			free(sub);
			continue;
		}
		while (rc == 0 && (d = readdir(dp)) != NULL) {
			f = fsutil_join(sub, d->d_name);
			if (i < 0 && strlen(d->d_name) == 50 &&
			    strcmp(d->d_name + 45, ".pack") == 0)
				rc = transfer_take_pack(s, f);
			else if (i >= 0 && strlen(d->d_name) == 38 &&
			    strspn(d->d_name, "0123456789abcdef") == 38) {
				snprintf(hex, sizeof hex, "%02x%s", i,
				    d->d_name);
				rc = transfer_take_loose(s, hex, f);
			}
			if (rc == FERRY_EUNCHANGED)
				rc = 0;
			free(f);
		}
		closedir(dp);
		free(sub);
	}
	return rc;
}

/* Fetch branch from the bare repository dir; hex gets its commit. */
static int
fetch_dir(struct store *s, const char *dir, const char *branch, char *hex)
{
	git_repository	*r = NULL;
	git_oid		 tip;
	char		*name;
	int		 rc = -1, trc;

	xasprintf(&name, "refs/heads/%s", branch);
	if (open_dir(dir, &r) != 0)
		goto out;
	if ((trc = dir_tip(r, name, &tip)) != 0) {
		if (trc == FERRY_ENOTFOUND)
			err_set("it has no branch by that name (check "
			    "[follow] branch)");
		goto out;
	}
	git_oid_tostr(hex, STORE_OIDLEN + 1, &tip);
	if (transfer_complete(s, hex) != 0 && (take_objects(s, dir) != 0 ||
	    transfer_complete(s, hex) != 0))
		goto out;
	rc = 0;
out:
	if (rc == 0)
		err_clear();
	git_repository_free(r);
	free(name);
	return rc;
}

/*
 * Fetch branch from url into the object database and point ref at it;
 * hex gets its commit.  Memory does not grow with the history fetched:
 * libgit2's indexer writes the pack as it comes.
 */
int
remote_fetch(struct store *s, const struct conf *conf, const char *url,
    const char *branch, const char *ref, char *hex)
{
	git_fetch_options	 fo = GIT_FETCH_OPTIONS_INIT;
	struct remote_ctx	 c;
	git_remote		*r = NULL;
	git_strarray		 specs;
	git_oid			 tip;
	const char		*dir;
	char			*spec;
	int			 rc = -1, lrc;

	if ((dir = local_dir(url)) != NULL) {
		if (fetch_dir(s, dir, branch, hex) != 0) {
			err_prefix("cannot fetch from '%s'", url);
			return -1;
		}
		return remote_set_ref(s, ref, hex, "fetch");
	}
	ctx_init(&c, conf, url, &fo.callbacks);
	fo.proxy_opts.type = GIT_PROXY_AUTO;	/* https_proxy, as curl */
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.update_fetchhead = 0;
	xasprintf(&spec, "+refs/heads/%s:%s", branch, ref);
	specs.strings = &spec;
	specs.count = 1;
	watchdog_start(&c);
	if (open_remote(s, url, &r) < 0 ||
	    git_remote_fetch(r, &specs, &fo, "fetch") < 0) {
		watchdog_stop(&c);
		rc = ctx_error(&c, "fetch from");
		goto out;
	}
	watchdog_stop(&c);
	if ((lrc = listed_tip(r, branch, &tip)) != 0) {
		free(c.why);
		c.why = lrc == FERRY_ENOTFOUND ? xstrdup("it has no branch "
		    "by that name (check [follow] branch)") : NULL;
		rc = ctx_error(&c, "fetch from");
		goto out;
	}
	git_oid_tostr(hex, STORE_OIDLEN + 1, &tip);
	rc = remote_set_ref(s, ref, hex, "fetch");
	ctx_free(&c);
out:
	free(spec);
	git_remote_free(r);
	return rc;
}

/*
 * libgit2's pack builder reads its limits from the repository's
 * configuration: without them it searches deltas between big documents,
 * holding many at once (5 new documents of 60 MB: 761 MB and 96 s; with
 * them, 279 MB and 48 s).  Set in the mirror's .git/config unless an
 * administrator set them.
 */
static void
pack_limits(struct store *s)
{
	static const struct {
		const char	*key;
		int64_t		 value;
	} limits[] = {
		{ "pack.bigFileThreshold", 512 << 10 },	/* as store.c */
		{ "pack.windowMemory", 64 << 20 },
	};
	git_config	*cfg = NULL;
	int64_t		 v;
	size_t		 i;

	if (git_repository_config(&cfg, store_repository(s)) < 0)
		return;
	for (i = 0; i < sizeof limits / sizeof limits[0]; i++)
		if (git_config_get_int64(&v, cfg, limits[i].key) ==
		    GIT_ENOTFOUND &&
		    git_config_set_int64(cfg, limits[i].key,
		    limits[i].value) < 0)
			log_warnx("cannot set %s in '%s': %s", limits[i].key,
			    store_root(s), git_error_last() ?
			    git_error_last()->message : "unknown error");
	git_config_free(cfg);
}

/*
 * Push the mirror's branch to the branch of the same name at url.  Only
 * a fast-forward: a remote whose branch has commits the mirror lacks
 * refuses, and says so.
 */
int
remote_push(struct store *s, const struct conf *conf, const char *url)
{
	git_push_options	 po = GIT_PUSH_OPTIONS_INIT;
	struct remote_ctx	 c;
	git_reference		*head = NULL;
	git_remote		*r = NULL;
	git_strarray		 specs;
	const char		*branch, *dir;
	char			*spec = NULL;
	int			 rc = -1;

	ctx_init(&c, conf, url, &po.callbacks);
	po.proxy_opts.type = GIT_PROXY_AUTO;
	po.callbacks.push_update_reference = push_ref;
	if (git_reference_lookup(&head, store_repository(s), "HEAD") < 0 ||
	    (branch = git_reference_symbolic_target(head)) == NULL) {
		rc = store_git_fail("HEAD is not a branch in", store_root(s));
		ctx_free(&c);
		goto out;
	}
	if ((dir = local_dir(url)) != NULL) {
		ctx_free(&c);
		if ((rc = push_dir(s, conf, dir, branch)) != 0)
			err_prefix("cannot push to '%s'", url);
		goto out;
	}
	pack_limits(s);
	xasprintf(&spec, "%s:%s", branch, branch);
	specs.strings = &spec;
	specs.count = 1;
	watchdog_start(&c);
	if (open_remote(s, url, &r) < 0 ||
	    git_remote_push(r, &specs, &po) < 0) {
		watchdog_stop(&c);
		rc = ctx_error(&c, "push to");
		goto out;
	}
	watchdog_stop(&c);
	if (c.rejected != NULL) {
		free(c.why);
		xasprintf(&c.why, "the push was refused (%s); its branch may "
		    "have commits this mirror lacks", c.rejected);
		rc = ctx_error(&c, "push to");
		goto out;
	}
	ctx_free(&c);
	rc = 0;
out:
	free(spec);
	git_remote_free(r);
	git_reference_free(head);
	return rc;
}

/* The commit ref names (refs/ferry/...): FERRY_ENOTFOUND when none. */
int
remote_ref(struct store *s, const char *ref, char *hex)
{
	git_oid	id;
	int	grc;

	grc = git_reference_name_to_id(&id, store_repository(s), ref);
	if (grc == GIT_ENOTFOUND)
		return FERRY_ENOTFOUND;
	if (grc < 0)
		return store_git_fail("cannot read ref", ref);
	git_oid_tostr(hex, STORE_OIDLEN + 1, &id);
	return 0;
}

int
remote_set_ref(struct store *s, const char *ref, const char *hex,
    const char *why)
{
	git_reference	*r = NULL;
	git_oid		 id;

	if (git_oid_fromstr(&id, hex) < 0)
		return err_set("invalid commit id '%s'", hex);
	if (git_reference_create(&r, store_repository(s), ref, &id, 1,
	    why) < 0)
		return store_git_fail("cannot update ref", ref);
	git_reference_free(r);
	return 0;
}

/* 1 when commit descends from (or is) ancestor, 0 when not, or < 0. */
int
remote_descends(struct store *s, const char *commit, const char *ancestor)
{
	git_oid	c, a;
	int	grc;

	if (git_oid_fromstr(&c, commit) < 0 ||
	    git_oid_fromstr(&a, ancestor) < 0)
		return err_set("invalid commit id '%s'", commit);
	if (git_oid_equal(&c, &a))
		return 1;
	if ((grc = git_graph_descendant_of(store_repository(s), &c, &a)) < 0)
		return store_git_fail("cannot walk the history of",
		    store_root(s));
	return grc;
}

static int
walk_one(git_repository *repo, const git_oid *id, remote_commit_cb *cb,
    void *arg)
{
	struct remote_commit	 rc;
	git_buf			 sig = { 0 }, data = { 0 };
	git_commit		*c = NULL;
	int			 grc, r = -1;

	memset(&rc, 0, sizeof rc);
	git_oid_tostr(rc.hex, sizeof rc.hex, id);
	if (git_commit_lookup(&c, repo, id) < 0) {
		store_git_fail("cannot read commit", rc.hex);
		goto out;
	}
	rc.subject = git_commit_summary(c);
	grc = git_commit_extract_signature(&sig, &data, repo,
	    (git_oid *)id, NULL);
	if (grc < 0 && grc != GIT_ENOTFOUND) {
		store_git_fail("cannot read the signature of commit", rc.hex);
		goto out;
	}
	if (grc == 0) {
		rc.sig = sig.ptr;
		rc.siglen = sig.size;
		rc.data = data.ptr;
		rc.datalen = data.size;
	}
	r = cb(&rc, arg);
out:
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	git_commit_free(c);
	return r;
}

/*
 * Call cb for each commit reachable from tip and from none of hide (NULL
 * entries skipped), parents before children; stops at cb's first error.
 */
int
remote_walk(struct store *s, const char *tip, const char *const *hide,
    size_t nhide, remote_commit_cb *cb, void *arg)
{
	git_repository	*repo = store_repository(s);
	git_revwalk	*w = NULL;
	git_oid		 id;
	size_t		 i;
	int		 grc, rc = -1;

	if (git_revwalk_new(&w, repo) < 0 ||
	    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL |
	    GIT_SORT_REVERSE) < 0 ||
	    git_oid_fromstr(&id, tip) < 0 || git_revwalk_push(w, &id) < 0) {
		store_git_fail("cannot walk the history of", tip);
		goto out;
	}
	for (i = 0; i < nhide; i++) {
		if (hide[i] == NULL)
			continue;
		if (git_oid_fromstr(&id, hide[i]) < 0 ||
		    git_revwalk_hide(w, &id) < 0) {
			store_git_fail("cannot walk the history of", hide[i]);
			goto out;
		}
	}
	while ((grc = git_revwalk_next(&id, w)) == 0)
		if (walk_one(repo, &id, cb, arg) != 0)
			goto out;
	if (grc != GIT_ITEROVER) {
		store_git_fail("cannot walk the history of", tip);
		goto out;
	}
	rc = 0;
out:
	git_revwalk_free(w);
	return rc;
}

static int
count_one(const struct remote_commit *c, void *arg)
{
	(void)c;
	++*(long *)arg;
	return 0;
}

/*
 * How many commits are reachable from tip and from none of hide (NULL
 * entries skipped): -1 when that cannot be told.
 */
long
remote_count(struct store *s, const char *tip, const char *const *hide,
    size_t nhide)
{
	long	n = 0;

	if (remote_walk(s, tip, hide, nhide, count_one, &n) != 0) {
		err_clear();
		return -1;
	}
	return n;
}
