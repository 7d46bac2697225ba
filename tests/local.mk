# tests/: cmocka unit tests (one per module) and TAP integration scripts
# that drive the real ferry against a real HTTP server on 127.0.0.1.

if ENABLE_TESTS
UNIT_TESTS = \
	%D%/unit/test_catalog \
	%D%/unit/test_charset \
	%D%/unit/test_conf \
	%D%/unit/test_fetch \
	%D%/unit/test_gitsig \
	%D%/unit/test_history \
	%D%/unit/test_html \
	%D%/unit/test_index \
	%D%/unit/test_json \
	%D%/unit/test_lang \
	%D%/unit/test_manifest \
	%D%/unit/test_pathmap \
	%D%/unit/test_pdf \
	%D%/unit/test_robots \
	%D%/unit/test_sign \
	%D%/unit/test_store \
	%D%/unit/test_url
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

# Fuzz targets as plain programs that run their seeds (with the build's
# sanitizers); clang -fsanitize=fuzzer builds the fuzzers from the same
# files (see each file's header).
FUZZ_SEED_TESTS = %D%/fuzz/fuzz_robots
FUZZ_SEED_TESTS += %D%/fuzz/fuzz_json
FUZZ_SEED_TESTS += %D%/fuzz/fuzz_manifest
check_PROGRAMS += $(FUZZ_SEED_TESTS)
TESTS += $(FUZZ_SEED_TESTS)

UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/mirror
EXTRA_DIST += %D%/unit/unit.h
EXTRA_DIST += %D%/unit/gitsig-vectors/README \
	%D%/unit/gitsig-vectors/key.pub %D%/unit/gitsig-vectors/other.pub \
	%D%/unit/gitsig-vectors/empty %D%/unit/gitsig-vectors/empty.sig \
	%D%/unit/gitsig-vectors/commit %D%/unit/gitsig-vectors/commit.sig \
	%D%/unit/gitsig-vectors/binary %D%/unit/gitsig-vectors/binary.sig \
	%D%/unit/gitsig-vectors/commit-sha256.sig \
	%D%/unit/gitsig-vectors/commit-file.sig \
	%D%/unit/gitsig-vectors/commit-other.sig \
	%D%/unit/gitsig-vectors/commit-rsa.sig
UNIT_LDADD = $(FERRY_LIBS) $(CMOCKA_LIBS)

%C%_unit_test_catalog_CFLAGS = $(UNIT_CFLAGS) $(LIBGIT2_CFLAGS)
%C%_unit_test_catalog_LDADD = $(UNIT_LDADD)
%C%_unit_test_charset_CFLAGS = $(UNIT_CFLAGS)
%C%_unit_test_charset_LDADD = $(UNIT_LDADD)
%C%_unit_test_conf_CFLAGS = $(UNIT_CFLAGS) $(LIBGIT2_CFLAGS)
%C%_unit_test_conf_LDADD = $(UNIT_LDADD)
%C%_unit_test_fetch_CFLAGS = $(UNIT_CFLAGS) $(LIBCURL_CFLAGS)
%C%_unit_test_fetch_LDADD = $(UNIT_LDADD)
%C%_unit_test_gitsig_CFLAGS = $(UNIT_CFLAGS) $(SODIUM_CFLAGS)
%C%_unit_test_gitsig_LDADD = $(UNIT_LDADD)
%C%_unit_test_history_CFLAGS = $(UNIT_CFLAGS)
%C%_unit_test_history_LDADD = $(UNIT_LDADD)
%C%_unit_test_html_CFLAGS = $(UNIT_CFLAGS)
%C%_unit_test_html_LDADD = $(UNIT_LDADD)
%C%_unit_test_index_CFLAGS = $(UNIT_CFLAGS)
%C%_unit_test_index_LDADD = $(UNIT_LDADD) -lm
%C%_unit_test_json_CFLAGS = $(UNIT_CFLAGS)
%C%_unit_test_json_LDADD = $(UNIT_LDADD)
%C%_unit_test_lang_CFLAGS = $(UNIT_CFLAGS)
%C%_unit_test_lang_LDADD = $(UNIT_LDADD)
%C%_unit_test_manifest_CFLAGS = $(UNIT_CFLAGS)
%C%_unit_test_manifest_LDADD = $(UNIT_LDADD)
%C%_unit_test_pathmap_CFLAGS = $(UNIT_CFLAGS)
%C%_unit_test_pathmap_LDADD = $(UNIT_LDADD)
%C%_unit_test_pdf_CFLAGS = $(UNIT_CFLAGS)
%C%_unit_test_pdf_LDADD = $(UNIT_LDADD)
%C%_unit_test_robots_CFLAGS = $(UNIT_CFLAGS)
%C%_unit_test_robots_LDADD = $(UNIT_LDADD)
%C%_unit_test_sign_CFLAGS = $(UNIT_CFLAGS) $(SODIUM_CFLAGS)
%C%_unit_test_sign_LDADD = $(UNIT_LDADD)
%C%_unit_test_store_CFLAGS = $(UNIT_CFLAGS) $(LIBGIT2_CFLAGS)
%C%_unit_test_store_LDADD = $(UNIT_LDADD)
%C%_unit_test_url_CFLAGS = $(UNIT_CFLAGS) $(LIBCURL_CFLAGS)
%C%_unit_test_url_LDADD = $(UNIT_LDADD)
%C%_fuzz_fuzz_robots_SOURCES = %D%/fuzz/fuzz_robots.c %D%/fuzz/fuzz_main.h
%C%_fuzz_fuzz_json_SOURCES = %D%/fuzz/fuzz_json.c %D%/fuzz/fuzz_main.h
%C%_fuzz_fuzz_manifest_SOURCES = %D%/fuzz/fuzz_manifest.c \
	%D%/fuzz/fuzz_main.h
%C%_fuzz_fuzz_robots_CFLAGS = $(UNIT_CFLAGS) -DFERRY_FUZZ_MAIN
%C%_fuzz_fuzz_robots_LDADD = $(FERRY_LIBS) -lm
%C%_fuzz_fuzz_json_CFLAGS = $(UNIT_CFLAGS) -DFERRY_FUZZ_MAIN
%C%_fuzz_fuzz_json_LDADD = $(FERRY_LIBS) -lm
%C%_fuzz_fuzz_manifest_CFLAGS = $(UNIT_CFLAGS) -DFERRY_FUZZ_MAIN
%C%_fuzz_fuzz_manifest_LDADD = $(FERRY_LIBS) -lm
endif

INTEGRATION_TESTS = \
	%D%/t0000-rig.sh \
	%D%/t0001-cli.sh \
	%D%/t0002-man.sh \
	%D%/t1000-sync.sh \
	%D%/t1001-resync.sh \
	%D%/t1002-bad-input.sh \
	%D%/t1010-pdf-text.sh \
	%D%/t1100-robots.sh \
	%D%/t1101-retry.sh \
	%D%/t1102-integrity.sh \
	%D%/t1103-limits.sh \
	%D%/t1104-redirects.sh \
	%D%/t1105-content.sh \
	%D%/t1106-validators.sh \
	%D%/t1107-remove-after.sh \
	%D%/t1108-progress.sh \
	%D%/t1109-politeness.sh \
	%D%/t1111-encodings.sh \
	%D%/t1112-tls.sh \
	%D%/t1113-http2.sh \
	%D%/t3000-log.sh \
	%D%/t3001-diff.sh \
	%D%/t3002-status.sh \
	%D%/t3003-verify.sh \
	%D%/t3004-repair.sh \
	%D%/t3005-gc.sh \
	%D%/t3006-restore.sh \
	%D%/t3007-concurrent.sh \
	%D%/t3008-text-golden.sh \
	%D%/t3010-crash.sh \
	%D%/t4000-index-browser.sh \
	%D%/t4001-catalog.sh \
	%D%/t4002-local-edits.sh \
	%D%/t4003-index-firefox.sh \
	%D%/t4004-index-valid.sh \
	%D%/t5000-ferryd-check.sh \
	%D%/t5001-ferryd-schedule.sh \
	%D%/t5002-ferryd-now.sh \
	%D%/t5003-ferryd-edits.sh \
	%D%/t5004-ferryd-reload.sh \
	%D%/t5005-ferryd-stop.sh \
	%D%/t5006-ferryd-unit.sh \
	%D%/t5007-ferryd-rescan.sh \
	%D%/t5008-ferryd-man.sh \
	%D%/t5009-ferryd-mirrors.sh \
	%D%/t5010-ferryd-clock.sh \
	%D%/t6000-keygen.sh \
	%D%/t6001-export.sh \
	%D%/t6002-export-incremental.sh \
	%D%/t6003-export-yank.sh \
	%D%/t6004-export-tamper.sh \
	%D%/t6005-import.sh \
	%D%/t6006-export-stick.sh \
	%D%/t6007-export-fat32-size.sh \
	%D%/t7000-publish.sh \
	%D%/t7001-follow.sh \
	%D%/t7002-follow-local.sh \
	%D%/t7003-follow-refusals.sh \
	%D%/t7004-remotes-daemon.sh \
	%D%/t7005-remotes-ssh.sh \
	%D%/t7009-remotes-rig.sh
TESTS += $(INTEGRATION_TESTS)

TEST_EXTENSIONS = .sh
SH_LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_COMPILER = $(BASH)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	PYTHON3='$(PYTHON3)'; export PYTHON3;

EXTRA_DIST += $(INTEGRATION_TESTS) \
	%D%/browser/bigindex.c \
	%D%/browser/contrast.js \
	%D%/browser/domcheck.py \
	%D%/browser/firstpaint.js \
	%D%/browser/firstpaint.sh \
	%D%/browser/htmlcheck.py \
	%D%/browser/marionette.py \
	%D%/browser/netlog.py \
	%D%/crash.sh \
	%D%/daemon.sh \
	%D%/soak-daemon.sh \
	%D%/demo.sh \
	%D%/golden/cjk.html %D%/golden/cjk.txt \
	%D%/golden/resources.html %D%/golden/resources.txt \
	%D%/golden/rtl.html %D%/golden/rtl.txt \
	%D%/lib.sh \
	%D%/remotes.sh \
	%D%/lsan-libgit2.supp \
	%D%/valgrind-libgit2.supp \
	%D%/rig/githttp.py \
	%D%/rig/checklinks.py \
	%D%/rig/checkmirror.py \
	%D%/rig/ferry-testd.py \
	%D%/rig/readme-schema.py \
	%D%/rig/gensite.py
