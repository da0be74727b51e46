package dev.peregrine.server.config;

import java.util.ArrayList;
import java.util.List;

import static dev.peregrine.server.config.Directive.INERT;
import static dev.peregrine.server.config.Directive.MUTABLE;
import static dev.peregrine.server.config.Directive.PROTECTED;
import static dev.peregrine.server.config.Directive.SENSITIVE;

/**
 * The declaration of every configuration directive: names and defaults as Redis 7.2's config.c. Directives of
 * features not built yet are declared {@link Directive#INERT}: accepted, validated and reported, with no effect.
 */
public final class Directives {
    private Directives() {
    }

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long LONG_MAX = Long.MAX_VALUE;

    static List<Directive<?>> all() {
        List<Directive<?>> d = new ArrayList<>();
        // network
        d.add(of("port", Types.integer(0, 65535), "6379", 0));
        d.add(of("bind", SpecialTypes.words(), "* -::*", MUTABLE));
        d.add(of("tcp-backlog", Types.integer(0, INT_MAX), "511", 0));
        d.add(of("timeout", Types.integer(0, INT_MAX), "0", MUTABLE));
        d.add(of("tcp-keepalive", Types.integer(0, INT_MAX), "300", MUTABLE));
        d.add(of("protected-mode", Types.bool(), "yes", MUTABLE));
        d.add(of("maxclients", Types.integer(1, INT_MAX), "10000", MUTABLE));
        d.add(of("io-threads", Types.integer(1, 128), "1", 0));
        d.add(of("io-threads-do-reads", Types.bool(), "no", 0));
        // Peregrine's own: where the executor role runs; "auto" is inline with one I/O thread, else a thread
        d.add(of("executor-mode", Types.enumOf("auto", "inline", "thread"), "auto", 0));
        d.add(of("proto-max-bulk-len", Types.memory(1024 * 1024, LONG_MAX), "536870912", MUTABLE));
        d.add(of("client-query-buffer-limit", Types.memory(1024 * 1024, LONG_MAX), "1073741824", MUTABLE));
        d.add(of("client-output-buffer-limit", SpecialTypes.clientOutputBufferLimit(),
                 "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", MUTABLE));
        // general
        d.add(of("databases", Types.integer(1, INT_MAX), "16", 0));
        d.add(of("hz", Types.integer(1, 500), "10", MUTABLE));
        d.add(of("dynamic-hz", Types.bool(), "yes", MUTABLE));
        d.add(of("loglevel", Types.enumOf("debug", "verbose", "notice", "warning", "nothing"), "notice", MUTABLE));
        d.add(of("logfile", Types.string(), "", 0));
        d.add(of("pidfile", Types.string(), "", 0));
        d.add(of("daemonize", Types.bool(), "no", 0));
        d.add(of("dir", Types.string(), "./", MUTABLE | PROTECTED));
        d.add(of("dbfilename", Types.string(), "dump.rdb", MUTABLE | PROTECTED));
        d.add(of("requirepass", Types.string(), "", MUTABLE | SENSITIVE));
        d.add(of("enable-debug-command", Types.enumOf("no", "yes", "local"), "no", 0));
        d.add(of("enable-protected-configs", Types.enumOf("no", "yes", "local"), "no", 0));
        d.add(of("enable-module-command", Types.enumOf("no", "yes", "local"), "no", 0));
        // persistence (inert until the persistence issue)
        d.add(of("save", SpecialTypes.save(), "3600 1 300 100 60 10000", MUTABLE | INERT));
        d.add(of("appendonly", Types.bool(), "no", MUTABLE | INERT));
        d.add(of("appendfilename", Types.string(), "appendonly.aof", INERT));
        d.add(of("appenddirname", Types.string(), "appendonlydir", INERT));
        d.add(of("appendfsync", Types.enumOf("always", "everysec", "no"), "everysec", MUTABLE | INERT));
        d.add(of("rdbcompression", Types.bool(), "yes", MUTABLE | INERT));
        d.add(of("rdbchecksum", Types.bool(), "yes", MUTABLE | INERT));
        d.add(of("stop-writes-on-bgsave-error", Types.bool(), "yes", MUTABLE | INERT));
        // memory
        d.add(of("maxmemory", Types.memory(0, LONG_MAX), "0", MUTABLE | INERT));
        d.add(of("maxmemory-policy", Types.enumOf("volatile-lru", "volatile-lfu", "volatile-random",
                 "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), "noeviction",
                 MUTABLE | INERT));
        d.add(of("maxmemory-samples", Types.integer(1, 64), "5", MUTABLE | INERT));
        d.add(of("lfu-log-factor", Types.integer(0, INT_MAX), "10", MUTABLE));
        d.add(of("lfu-decay-time", Types.integer(0, INT_MAX), "1", MUTABLE));
        d.add(of("active-expire-effort", Types.integer(1, 10), "1", MUTABLE));
        d.add(of("activerehashing", Types.bool(), "yes", MUTABLE));
        d.add(of("lazyfree-lazy-expire", Types.bool(), "no", MUTABLE));
        d.add(of("lazyfree-lazy-user-del", Types.bool(), "no", MUTABLE));
        d.add(of("lazyfree-lazy-user-flush", Types.bool(), "no", MUTABLE));
        // replication (inert until the replication issue)
        d.add(of("replicaof", SpecialTypes.words(), "", INERT, "slaveof"));
        d.add(of("masterauth", Types.string(), "", MUTABLE | SENSITIVE | INERT, "primaryauth"));
        d.add(of("masteruser", Types.string(), "", MUTABLE | INERT, "primaryuser"));
        d.add(of("replica-read-only", Types.bool(), "yes", MUTABLE | INERT, "slave-read-only"));
        d.add(of("replica-serve-stale-data", Types.bool(), "yes", MUTABLE | INERT, "slave-serve-stale-data"));
        // compact encodings of hashes and sets
        d.add(of("hash-max-listpack-entries", Types.integer(0, LONG_MAX), "128", MUTABLE,
                 "hash-max-ziplist-entries"));
        d.add(of("hash-max-listpack-value", Types.memory(0, LONG_MAX), "64", MUTABLE, "hash-max-ziplist-value"));
        d.add(of("set-max-intset-entries", Types.integer(0, LONG_MAX), "512", MUTABLE));
        d.add(of("set-max-listpack-entries", Types.integer(0, LONG_MAX), "128", MUTABLE));
        d.add(of("set-max-listpack-value", Types.memory(0, LONG_MAX), "64", MUTABLE));
        return d;
    }

    static <T> Directive<T> of(String name, ConfigType<T> type, String def, int flags, String... aliases) {
        return new Directive<>(name, List.of(aliases), type, def, flags);
    }
}
