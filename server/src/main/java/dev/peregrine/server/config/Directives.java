package dev.peregrine.server.config;

import java.util.ArrayList;
import java.util.List;

import static dev.peregrine.server.config.Directive.ALWAYS_REWRITE;
import static dev.peregrine.server.config.Directive.HIDDEN;
import static dev.peregrine.server.config.Directive.INERT;
import static dev.peregrine.server.config.Directive.MUTABLE;
import static dev.peregrine.server.config.Directive.PROTECTED;
import static dev.peregrine.server.config.Directive.SENSITIVE;

/**
 * The declaration of every configuration directive Redis 7.2's config.c accepts: names, legacy aliases, bounds,
 * enum values, defaults and flags as Redis declares them, plus Peregrine's own {@code executor-mode}. Directives
 * of features not built yet are declared {@link Directive#INERT}: accepted, validated and reported, with no
 * effect. The config-file-only directives ({@code include}, {@code rename-command}, {@code user}, {@code
 * loadmodule}) are handled by {@link ConfigLoader}, not declared here.
 */
public final class Directives {
    private Directives() {
    }

    private static final long INT_MIN = Integer.MIN_VALUE;
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long UINT_MAX = 4294967295L;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final int M = MUTABLE;
    private static final int I = INERT;
    private static final int MI = MUTABLE | INERT;

    static List<Directive<?>> all() {
        List<Directive<?>> d = new ArrayList<>();
        // ---- network
        // CONFIG SET port/bind is accepted and reported, but the listener is not rebound yet
        d.add(of("port", Types.integer(0, 65535), "6379", MI));
        d.add(of("bind", SpecialTypes.bind(), "* -::*", MI));
        d.add(of("bind-source-addr", Types.string(), "", MI));
        d.add(of("unixsocket", Types.string(), "", I));
        d.add(of("unixsocketperm", Types.octal(0777), "0", I));
        d.add(of("tcp-backlog", Types.integer(0, INT_MAX), "511", 0));
        d.add(of("timeout", Types.integer(0, INT_MAX), "0", M));
        d.add(of("tcp-keepalive", Types.integer(0, INT_MAX), "300", M));
        d.add(of("socket-mark-id", Types.integer(0, UINT_MAX), "0", MI));
        d.add(of("protected-mode", Types.bool(), "yes", MI));
        d.add(of("maxclients", Types.integer(1, UINT_MAX), "10000", M));
        d.add(of("io-threads", Types.integer(1, 128), "1", 0));
        d.add(of("io-threads-do-reads", Types.bool(), "no", 0));
        // Peregrine's own: where the executor role runs; "auto" is inline with one I/O thread, else a thread
        d.add(of("executor-mode", Types.enumOf("auto", "inline", "thread"), "auto", 0));
        d.add(of("proto-max-bulk-len", Types.memory(1024 * 1024, LONG_MAX), "536870912", M));
        d.add(of("client-query-buffer-limit", Types.memory(1024 * 1024, LONG_MAX), "1073741824", M));
        d.add(of("client-output-buffer-limit", SpecialTypes.clientOutputBufferLimit(),
                 "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", MI));
        // ---- tls
        d.add(of("tls-port", Types.integer(0, 65535), "0", MI));
        d.add(of("tls-cert-file", Types.string(), "", MI));
        d.add(of("tls-key-file", Types.string(), "", MI));
        d.add(of("tls-key-file-pass", Types.string(), "", MI | SENSITIVE));
        d.add(of("tls-client-cert-file", Types.string(), "", MI));
        d.add(of("tls-client-key-file", Types.string(), "", MI));
        d.add(of("tls-client-key-file-pass", Types.string(), "", MI | SENSITIVE));
        d.add(of("tls-dh-params-file", Types.string(), "", MI));
        d.add(of("tls-ca-cert-file", Types.string(), "", MI));
        d.add(of("tls-ca-cert-dir", Types.string(), "", MI));
        d.add(of("tls-auth-clients", Types.enumOf("no", "yes", "optional"), "yes", MI));
        d.add(of("tls-replication", Types.bool(), "no", MI));
        d.add(of("tls-cluster", Types.bool(), "no", MI));
        d.add(of("tls-protocols", Types.string(), "", MI));
        d.add(of("tls-ciphers", Types.string(), "", MI));
        d.add(of("tls-ciphersuites", Types.string(), "", MI));
        d.add(of("tls-prefer-server-ciphers", Types.bool(), "no", MI));
        d.add(of("tls-session-caching", Types.bool(), "yes", MI));
        d.add(of("tls-session-cache-size", Types.integer(0, INT_MAX), "20480", MI));
        d.add(of("tls-session-cache-timeout", Types.integer(0, INT_MAX), "300", MI));
        // ---- general
        d.add(of("databases", Types.integer(1, INT_MAX), "16", 0));
        d.add(of("hz", Types.clampedInteger(0, INT_MAX, 1, 500), "10", M));
        d.add(of("dynamic-hz", Types.bool(), "yes", MI));
        d.add(of("daemonize", Types.bool(), "no", I));
        d.add(of("supervised", Types.enumOf("upstart", "systemd", "auto", "no"), "no", I));
        d.add(of("pidfile", Types.string(), "", I));
        d.add(of("loglevel", Types.enumOf("debug", "verbose", "notice", "warning", "nothing"), "notice", M));
        d.add(of("logfile", Types.string(), "", I));
        d.add(of("syslog-enabled", Types.bool(), "no", I));
        d.add(of("syslog-ident", Types.string(), "redis", I));
        d.add(of("syslog-facility", Types.enumOf("user", "local0", "local1", "local2", "local3", "local4",
                 "local5", "local6", "local7"), "local0", I));
        d.add(of("crash-log-enabled", Types.bool(), "yes", MI));
        d.add(of("crash-memcheck-enabled", Types.bool(), "yes", MI));
        d.add(of("always-show-logo", Types.bool(), "no", I));
        d.add(of("set-proc-title", Types.bool(), "yes", I));
        d.add(of("proc-title-template", Types.string(), "{title} {listen-addr} {server-mode}", MI));
        d.add(of("locale-collate", Types.string(), "", MI));
        d.add(of("enable-protected-configs", Types.enumOf("no", "yes", "local"), "no", 0));
        d.add(of("enable-debug-command", Types.enumOf("no", "yes", "local"), "no", 0));
        d.add(of("enable-module-command", Types.enumOf("no", "yes", "local"), "no", I));
        d.add(of("dir", SpecialTypes.dir(), "./", M | PROTECTED | ALWAYS_REWRITE));
        d.add(of("ignore-warnings", Types.string(), "", MI));
        d.add(of("disable-thp", Types.bool(), "yes", I));
        d.add(of("jemalloc-bg-thread", Types.bool(), "yes", MI));
        d.add(of("server_cpulist", Types.string(), "", I));
        d.add(of("bio_cpulist", Types.string(), "", I));
        d.add(of("aof_rewrite_cpulist", Types.string(), "", I));
        d.add(of("bgsave_cpulist", Types.string(), "", I));
        d.add(of("oom-score-adj", Types.enumOf("no", "yes", "relative=yes", "absolute"), "no", MI));
        d.add(of("oom-score-adj-values", SpecialTypes.oomScoreAdjValues(), "0 200 800", MI));
        d.add(of("shutdown-on-sigint", SpecialTypes.shutdownFlags(), "default", MI));
        d.add(of("shutdown-on-sigterm", SpecialTypes.shutdownFlags(), "default", MI));
        d.add(of("shutdown-timeout", Types.integer(0, INT_MAX), "10", MI));
        d.add(of("watchdog-period", Types.integer(0, INT_MAX), "0", MI | HIDDEN));
        // ---- security
        d.add(of("requirepass", Types.string(), "", M | SENSITIVE));
        d.add(of("aclfile", Types.string(), "", I));
        d.add(of("acllog-max-len", Types.integer(0, LONG_MAX), "128", MI));
        d.add(of("acl-pubsub-default", Types.enumOf("allchannels", "resetchannels"), "resetchannels", MI));
        // ---- persistence
        d.add(of("save", SpecialTypes.save(), "3600 1 300 100 60 10000", MI | ALWAYS_REWRITE));
        d.add(of("dbfilename", Types.string(), "dump.rdb", MI | PROTECTED));
        d.add(of("stop-writes-on-bgsave-error", Types.bool(), "yes", MI));
        d.add(of("rdbcompression", Types.bool(), "yes", MI));
        d.add(of("rdbchecksum", Types.bool(), "yes", I));
        d.add(of("rdb-del-sync-files", Types.bool(), "no", MI));
        d.add(of("rdb-save-incremental-fsync", Types.bool(), "yes", MI));
        d.add(of("rdb-key-save-delay", Types.integer(INT_MIN, INT_MAX), "0", MI | HIDDEN));
        d.add(of("key-load-delay", Types.integer(INT_MIN, INT_MAX), "0", MI | HIDDEN));
        d.add(of("loading-process-events-interval-bytes", Types.integer(1024, INT_MAX), "2097152", MI | HIDDEN));
        d.add(of("sanitize-dump-payload", Types.enumOf("no", "yes", "clients"), "no", MI));
        d.add(of("appendonly", Types.bool(), "no", MI));
        d.add(of("appendfilename", Types.string(), "appendonly.aof", I));
        d.add(of("appenddirname", Types.string(), "appendonlydir", I));
        d.add(of("appendfsync", Types.enumOf("always", "everysec", "no"), "everysec", MI));
        d.add(of("no-appendfsync-on-rewrite", Types.bool(), "no", MI));
        d.add(of("auto-aof-rewrite-percentage", Types.integer(0, INT_MAX), "100", MI));
        d.add(of("auto-aof-rewrite-min-size", Types.memory(0, LONG_MAX), "67108864", MI));
        d.add(of("aof-load-truncated", Types.bool(), "yes", MI));
        d.add(of("aof-use-rdb-preamble", Types.bool(), "yes", MI));
        d.add(of("aof-timestamp-enabled", Types.bool(), "no", MI));
        d.add(of("aof-rewrite-incremental-fsync", Types.bool(), "yes", MI));
        d.add(of("aof-disable-auto-gc", Types.bool(), "no", MI));
        // ---- replication
        d.add(of("replicaof", SpecialTypes.replicaof(), "", I, "slaveof"));
        d.add(of("masterauth", Types.string(), "", MI | SENSITIVE, "primaryauth"));
        d.add(of("masteruser", Types.string(), "", MI | SENSITIVE, "primaryuser"));
        d.add(of("replica-serve-stale-data", Types.bool(), "yes", MI, "slave-serve-stale-data"));
        d.add(of("replica-read-only", Types.bool(), "yes", MI, "slave-read-only"));
        d.add(of("replica-lazy-flush", Types.bool(), "no", MI, "slave-lazy-flush"));
        d.add(of("replica-ignore-maxmemory", Types.bool(), "yes", MI, "slave-ignore-maxmemory"));
        d.add(of("replica-announce-ip", Types.string(), "", MI, "slave-announce-ip"));
        d.add(of("replica-announce-port", Types.integer(0, 65535), "0", MI, "slave-announce-port"));
        d.add(of("replica-priority", Types.integer(0, INT_MAX), "100", MI, "slave-priority"));
        d.add(of("replica-announced", Types.bool(), "yes", MI));
        d.add(of("replica-ignore-disk-write-errors", Types.bool(), "no", MI));
        d.add(of("repl-diskless-sync", Types.bool(), "yes", MI));
        d.add(of("repl-diskless-sync-delay", Types.integer(0, INT_MAX), "5", MI));
        d.add(of("repl-diskless-sync-max-replicas", Types.integer(0, INT_MAX), "0", MI));
        d.add(of("repl-diskless-load", Types.enumOf("disabled", "on-empty-db", "swapdb"), "disabled", MI));
        d.add(of("repl-ping-replica-period", Types.integer(1, INT_MAX), "10", MI, "repl-ping-slave-period"));
        d.add(of("repl-timeout", Types.integer(1, INT_MAX), "60", MI));
        d.add(of("repl-disable-tcp-nodelay", Types.bool(), "no", MI));
        d.add(of("repl-backlog-size", Types.memory(1, LONG_MAX), "1048576", MI));
        d.add(of("repl-backlog-ttl", Types.integer(0, LONG_MAX), "3600", MI));
        d.add(of("min-replicas-to-write", Types.integer(0, INT_MAX), "0", MI, "min-slaves-to-write"));
        d.add(of("min-replicas-max-lag", Types.integer(0, INT_MAX), "10", MI, "min-slaves-max-lag"));
        d.add(of("propagation-error-behavior", Types.enumOf("ignore", "panic", "panic-on-replicas"), "ignore", MI));
        // ---- memory and eviction
        d.add(of("maxmemory", Types.memory(0, LONG_MAX), "0", MI));
        d.add(of("maxmemory-policy", Types.enumOf("volatile-lru", "volatile-lfu", "volatile-random",
                 "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), "noeviction", MI));
        d.add(of("maxmemory-samples", Types.integer(1, 64), "5", MI));
        d.add(of("maxmemory-eviction-tenacity", Types.integer(0, 100), "10", MI));
        d.add(of("maxmemory-clients", Types.memoryOrPercent(LONG_MAX), "0", MI));
        d.add(of("lfu-log-factor", Types.integer(0, INT_MAX), "10", M));
        d.add(of("lfu-decay-time", Types.integer(0, INT_MAX), "1", M));
        d.add(of("active-expire-effort", Types.integer(1, 10), "1", M));
        d.add(of("activerehashing", Types.bool(), "yes", M));
        d.add(of("lazyfree-lazy-eviction", Types.bool(), "no", MI));
        d.add(of("lazyfree-lazy-expire", Types.bool(), "no", MI));
        d.add(of("lazyfree-lazy-server-del", Types.bool(), "no", MI));
        d.add(of("lazyfree-lazy-user-del", Types.bool(), "no", MI));
        d.add(of("lazyfree-lazy-user-flush", Types.bool(), "no", MI));
        d.add(of("activedefrag", Types.bool(), "no", MI));
        d.add(of("active-defrag-ignore-bytes", Types.memory(1, LONG_MAX), "104857600", MI));
        d.add(of("active-defrag-threshold-lower", Types.integer(0, 1000), "10", MI));
        d.add(of("active-defrag-threshold-upper", Types.integer(0, 1000), "100", MI));
        d.add(of("active-defrag-cycle-min", Types.integer(1, 99), "1", MI));
        d.add(of("active-defrag-cycle-max", Types.integer(1, 99), "25", MI));
        d.add(of("active-defrag-max-scan-fields", Types.integer(1, LONG_MAX), "1000", MI));
        // ---- data structure encodings
        d.add(of("hash-max-listpack-entries", Types.integer(0, LONG_MAX), "512", MI, "hash-max-ziplist-entries"));
        d.add(of("hash-max-listpack-value", Types.memory(0, LONG_MAX), "64", MI, "hash-max-ziplist-value"));
        d.add(of("list-max-listpack-size", Types.integer(INT_MIN, INT_MAX), "-2", M, "list-max-ziplist-size"));
        d.add(of("list-compress-depth", Types.integer(0, INT_MAX), "0", M));
        d.add(of("set-max-intset-entries", Types.integer(0, LONG_MAX), "512", MI));
        d.add(of("set-max-listpack-entries", Types.integer(0, LONG_MAX), "128", MI));
        d.add(of("set-max-listpack-value", Types.memory(0, LONG_MAX), "64", MI));
        d.add(of("zset-max-listpack-entries", Types.integer(0, LONG_MAX), "128", MI, "zset-max-ziplist-entries"));
        d.add(of("zset-max-listpack-value", Types.memory(0, LONG_MAX), "64", MI, "zset-max-ziplist-value"));
        d.add(of("hll-sparse-max-bytes", Types.memory(0, LONG_MAX), "3000", MI));
        d.add(of("stream-node-max-bytes", Types.memory(0, LONG_MAX), "4096", MI));
        d.add(of("stream-node-max-entries", Types.integer(0, LONG_MAX), "100", MI));
        // ---- scripting, slow log, latency, tracking, events
        d.add(of("busy-reply-threshold", Types.integer(0, LONG_MAX), "5000", MI, "lua-time-limit"));
        d.add(of("slowlog-log-slower-than", Types.integer(-1, LONG_MAX), "10000", MI));
        d.add(of("slowlog-max-len", Types.integer(0, LONG_MAX), "128", MI));
        d.add(of("latency-monitor-threshold", Types.integer(0, LONG_MAX), "0", MI));
        d.add(of("latency-tracking", Types.bool(), "yes", MI));
        d.add(of("latency-tracking-info-percentiles", SpecialTypes.percentiles(), "50 99 99.9", MI));
        d.add(of("tracking-table-max-keys", Types.integer(0, LONG_MAX), "1000000", MI));
        d.add(of("notify-keyspace-events", SpecialTypes.notifyKeyspaceEvents(), "", MI));
        // ---- cluster
        d.add(of("cluster-enabled", Types.bool(), "no", I));
        d.add(of("cluster-config-file", Types.string(), "nodes.conf", I));
        d.add(of("cluster-port", Types.integer(0, 65535), "0", I));
        d.add(of("cluster-node-timeout", Types.integer(0, LONG_MAX), "15000", MI));
        d.add(of("cluster-replica-validity-factor", Types.integer(0, INT_MAX), "10", MI,
                 "cluster-slave-validity-factor"));
        d.add(of("cluster-migration-barrier", Types.integer(0, INT_MAX), "1", MI));
        d.add(of("cluster-allow-replica-migration", Types.bool(), "yes", MI));
        d.add(of("cluster-require-full-coverage", Types.bool(), "yes", MI));
        d.add(of("cluster-replica-no-failover", Types.bool(), "no", MI, "cluster-slave-no-failover"));
        d.add(of("cluster-allow-reads-when-down", Types.bool(), "no", MI));
        d.add(of("cluster-allow-pubsubshard-when-down", Types.bool(), "yes", MI));
        d.add(of("cluster-link-sendbuf-limit", Types.memory(0, LONG_MAX), "0", MI));
        d.add(of("cluster-announce-ip", Types.string(), "", MI));
        d.add(of("cluster-announce-hostname", Types.string(), "", MI));
        d.add(of("cluster-announce-human-nodename", Types.string(), "", MI));
        d.add(of("cluster-announce-port", Types.integer(0, 65535), "0", MI));
        d.add(of("cluster-announce-bus-port", Types.integer(0, 65535), "0", MI));
        d.add(of("cluster-announce-tls-port", Types.integer(0, 65535), "0", MI));
        d.add(of("cluster-preferred-endpoint-type", Types.enumOf("ip", "hostname", "unknown-endpoint"), "ip", MI));
        return d;
    }

    /**
     * Names Redis still accepts in a config file but ignores (removed settings): a line naming one is skipped.
     */
    static final List<String> DEPRECATED = List.of("list-max-ziplist-entries", "list-max-ziplist-value",
                                                   "lua-replicate-commands");

    static <T> Directive<T> of(String name, ConfigType<T> type, String def, int flags, String... aliases) {
        return new Directive<>(name, List.of(aliases), type, def, flags);
    }
}
