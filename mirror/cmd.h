/* cmd.h -- the ferry subcommands */
#ifndef FERRY_CMD_H
#define FERRY_CMD_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct conf;
struct store;

/* Exit statuses, documented in ferry(1). */
#define EXIT_OK		0	/* success */
#define EXIT_FATAL	1	/* an error stopped the work */
#define EXIT_USAGE	2	/* bad usage or configuration */
#define EXIT_PARTIAL	3	/* finished, but some resources failed */

/* What every subcommand gets from the global options. */
struct cmd_ctx {
	const char	*conf_file;
	int		 verbose;
	int		 quiet;
};

struct cmd_entry {
	const char	*name;
	const char	*usage;
	const char	*summary;
	const char	*help;
	int		(*exec)(struct cmd_ctx *, int, char **);
};

extern const struct cmd_entry cmd_sync_entry;
extern const struct cmd_entry cmd_index_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_log_entry;
extern const struct cmd_entry cmd_diff_entry;
extern const struct cmd_entry cmd_restore_entry;
extern const struct cmd_entry cmd_verify_entry;
extern const struct cmd_entry cmd_gc_entry;
extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_keygen_entry;
extern const struct cmd_entry cmd_publish_entry;

/* How cmd_open_mirror opens the mirror. */
#define CMD_LOCK	0x1	/* locked, for commands that write it */
#define CMD_CREATE	0x2	/* a new mirror when there is none */
extern const struct cmd_entry cmd_help_entry;

const struct cmd_entry	*cmd_find(const char *);
void			 cmd_usage(const struct cmd_entry *);
int			 cmd_load_conf(struct cmd_ctx *, struct conf **);
int			 cmd_publish(const struct conf *, int, int);
int			 cmd_open_mirror(struct cmd_ctx *, struct conf **,
			    struct store **, int);
void			 cmd_human(char *, size_t, int64_t);
void			 cmd_local_time(char *, size_t, int64_t);
void			 cmd_json_str(struct buf *, const char *);
void			 cmd_json_time(struct buf *, int64_t);
int			 cmd_ask_daemon(const char *, const char *, size_t,
			    struct buf *, char **);

extern const struct cmd_entry *const cmd_table[];

#endif
