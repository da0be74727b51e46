package dev.peregrine.server.command.server;

import dev.peregrine.server.command.Command;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.ServerInfo;
import dev.peregrine.server.exec.Stats;
import dev.peregrine.storage.Database;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INFO [section ...]: Redis 7.2's report, same sections, field names, order and byte layout ({@code field:value}
 * lines ending in CRLF, {@code # Section} headers, an empty line between sections). Values Peregrine does not
 * track yet show Redis's neutral value (0, -1, "ok"). Memory comes from the JVM heap and /proc, CPU from /proc
 * and the thread MXBean. RESP3 answers a verbatim string ({@code txt}), RESP2 a bulk string. Executor-only.
 */
public final class InfoCommands {
    private InfoCommands() {
    }

    /** Every section in output order. */
    private static final String[] ORDER = {"server", "clients", "memory", "persistence", "stats", "replication",
                                           "cpu", "modules", "commandstats", "errorstats", "latencystats",
                                           "cluster", "keyspace"};
    private static final Set<String> DEFAULT = Set.of("server", "clients", "memory", "persistence", "stats",
                                                      "replication", "cpu", "modules", "errorstats", "cluster",
                                                      "keyspace");

    public static void register(CommandTable t) {
        t.register("info", InfoCommands::info);
    }

    static void info(CommandContext c) {
        Set<String> wanted = new HashSet<>();
        if (c.argc() == 1) {
            wanted.addAll(DEFAULT);
        }
        for (int i = 1; i < c.argc(); i++) {
            String s = c.argLower(i);
            switch (s) {
                case "default": wanted.addAll(DEFAULT); break;
                case "all":
                case "everything":
                    wanted.addAll(List.of(ORDER));
                    break;
                default: wanted.add(s);
            }
        }
        String text = generate(c.engine(), wanted, c.now());
        c.reply().verbatim("txt", text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The INFO text for the chosen lower-case section names. */
    public static String generate(Engine engine, Set<String> sections, long now) {
        StringBuilder sb = new StringBuilder(4096);
        int n = 0;
        for (String s : ORDER) {
            if (!sections.contains(s)) {
                continue;
            }
            if (n++ > 0) {
                sb.append("\r\n");
            }
            switch (s) {
                case "server": server(engine, sb, now); break;
                case "clients": clients(engine, sb); break;
                case "memory": memory(engine, sb); break;
                case "persistence": persistence(engine, sb); break;
                case "stats": stats(engine, sb); break;
                case "replication": replication(engine, sb); break;
                case "cpu": cpu(sb); break;
                case "modules": sb.append("# Modules\r\n"); break;
                case "commandstats": commandstats(engine, sb); break;
                case "errorstats": errorstats(engine, sb); break;
                case "latencystats": sb.append("# Latencystats\r\n"); break;
                case "cluster": sb.append("# Cluster\r\n"); field(sb, "cluster_enabled", 0); break;
                case "keyspace": keyspace(engine, sb); break;
                default: throw new AssertionError(s);
            }
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    // ---------------------------------------------------------------- sections

    private static void server(Engine e, StringBuilder sb, long now) {
        ServerInfo info = e.serverInfo();
        ServerConfig config = e.config();
        Instant t = Instant.now();
        long uptime = Math.max(0, (now - e.startTime()) / 1000);
        sb.append("# Server\r\n");
        field(sb, "redis_version", ServerInfo.REDIS_VERSION);
        field(sb, "redis_git_sha1", "00000000");
        field(sb, "redis_git_dirty", 0);
        field(sb, "redis_build_id", 0);
        field(sb, "redis_mode", "standalone");
        field(sb, "os", osName());
        field(sb, "arch_bits", 64);
        field(sb, "monotonic_clock", "POSIX clock_gettime");
        field(sb, "multiplexing_api", multiplexingApi());
        field(sb, "atomicvar_api", "jvm");
        field(sb, "gcc_version", "0.0.0");
        field(sb, "process_id", info.pid());
        field(sb, "process_supervised", "no");
        field(sb, "run_id", info.runId());
        field(sb, "tcp_port", info.port());
        field(sb, "server_time_usec", t.getEpochSecond() * 1_000_000L + t.getNano() / 1000);
        field(sb, "uptime_in_seconds", uptime);
        field(sb, "uptime_in_days", uptime / 86400);
        field(sb, "hz", config.intValue("hz"));
        field(sb, "configured_hz", config.intValue("hz"));
        field(sb, "lru_clock", Engine.lruClock(now));
        field(sb, "executable", info.executable());
        field(sb, "config_file", config.configFile() == null ? "" : config.configFile());
        field(sb, "io_threads_active", 0);
        StringBuilder l = new StringBuilder("name=tcp");
        for (String b : config.stringValue("bind").split(" ")) {
            if (!b.isEmpty()) {
                l.append(",bind=").append(b);
            }
        }
        l.append(",port=").append(info.port());
        field(sb, "listener0", l);
    }

    private static String osName() {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("amd64")) {
            arch = "x86_64";
        }
        return System.getProperty("os.name", "") + " " + System.getProperty("os.version", "") + " " + arch;
    }

    private static String multiplexingApi() {
        try {
            return io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio";
        } catch (Throwable t) {
            return "nio";
        }
    }

    private static void clients(Engine e, StringBuilder sb) {
        long maxInput = 0;
        for (Client c : e.clients().values()) {
            maxInput = Math.max(maxInput, c.queryBufferBytes());
        }
        sb.append("# Clients\r\n");
        field(sb, "connected_clients", e.clients().size());
        field(sb, "cluster_connections", 0);
        field(sb, "maxclients", e.config().longValue("maxclients"));
        field(sb, "client_recent_max_input_buffer", maxInput);
        field(sb, "client_recent_max_output_buffer", 0);
        field(sb, "blocked_clients", e.blocking().blockedClients());
        field(sb, "tracking_clients", e.tracking().clients());
        field(sb, "pubsub_clients", e.pubsub().pubsubClients());
        field(sb, "watching_clients", e.watchedKeys().watchingClients());
        field(sb, "clients_in_timeout_table", e.blocking().clientsWithTimeout());
        field(sb, "total_watched_keys", e.watchedKeys().watchedKeys());
        field(sb, "total_blocking_keys", e.blocking().blockingKeys());
        field(sb, "total_blocking_keys_on_nokey", 0);
    }

    /** Redis's bytesToHuman: {@code 919.07K}, {@code 1.00M}, {@code 0B}. */
    static String human(long n) {
        double d;
        if (n < 1024) {
            return n + "B";
        } else if (n < 1024L * 1024) {
            d = n / 1024.0;
            return f2(d) + "K";
        } else if (n < 1024L * 1024 * 1024) {
            d = n / (1024.0 * 1024);
            return f2(d) + "M";
        } else if (n < 1024L * 1024 * 1024 * 1024) {
            d = n / (1024.0 * 1024 * 1024);
            return f2(d) + "G";
        } else if (n < 1024L * 1024 * 1024 * 1024 * 1024) {
            d = n / (1024.0 * 1024 * 1024 * 1024);
            return f2(d) + "T";
        } else if (n < 1024L * 1024 * 1024 * 1024 * 1024 * 1024) {
            d = n / (1024.0 * 1024 * 1024 * 1024 * 1024);
            return f2(d) + "P";
        }
        return n + "B";
    }

    /** Resident set size from /proc/self/statm, bytes; 0 when unavailable. */
    static long rss() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096L;
        } catch (IOException | RuntimeException ex) {
            return 0;
        }
    }

    private static long totalSystemMemory() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
        }
        return 0;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static void memory(Engine e, StringBuilder sb) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long committed = rt.totalMemory();
        long peak = e.serverInfo().sampleUsedMemory(used);
        long rss = rss();
        long total = totalSystemMemory();
        long maxmemory = e.config().longValue("maxmemory");
        sb.append("# Memory\r\n");
        field(sb, "used_memory", used);
        field(sb, "used_memory_human", human(used));
        field(sb, "used_memory_rss", rss);
        field(sb, "used_memory_rss_human", human(rss));
        field(sb, "used_memory_peak", peak);
        field(sb, "used_memory_peak_human", human(peak));
        field(sb, "used_memory_peak_perc", f2(peak == 0 ? 0 : used * 100.0 / peak) + "%");
        field(sb, "used_memory_overhead", 0);
        field(sb, "used_memory_startup", 0);
        field(sb, "used_memory_dataset", used);
        field(sb, "used_memory_dataset_perc", f2(used == 0 ? 0 : 100.0) + "%");
        field(sb, "allocator_allocated", used);
        field(sb, "allocator_active", committed);
        field(sb, "allocator_resident", rss);
        field(sb, "total_system_memory", total);
        field(sb, "total_system_memory_human", human(total));
        field(sb, "used_memory_lua", 0);
        field(sb, "used_memory_vm_eval", 0);
        field(sb, "used_memory_lua_human", human(0));
        field(sb, "used_memory_scripts_eval", 0);
        boolean scripting = e.scriptingStarted();
        field(sb, "number_of_cached_scripts", scripting ? e.scripting().cachedScripts() : 0);
        field(sb, "number_of_functions", scripting ? e.scripting().functions().functionCount() : 0);
        field(sb, "number_of_libraries", scripting ? e.scripting().functions().libraryCount() : 0);
        field(sb, "used_memory_vm_functions", 0);
        field(sb, "used_memory_vm_total", 0);
        field(sb, "used_memory_vm_total_human", human(0));
        field(sb, "used_memory_functions", 0);
        field(sb, "used_memory_scripts", 0);
        field(sb, "used_memory_scripts_human", human(0));
        field(sb, "maxmemory", maxmemory);
        field(sb, "maxmemory_human", human(maxmemory));
        field(sb, "maxmemory_policy", e.config().stringValue("maxmemory-policy"));
        field(sb, "allocator_frag_ratio", f2(ratio(committed, used)));
        field(sb, "allocator_frag_bytes", committed - used);
        field(sb, "allocator_rss_ratio", f2(ratio(rss, committed)));
        field(sb, "allocator_rss_bytes", rss - committed);
        field(sb, "rss_overhead_ratio", f2(ratio(rss, rss)));
        field(sb, "rss_overhead_bytes", 0);
        field(sb, "mem_fragmentation_ratio", f2(ratio(rss, used)));
        field(sb, "mem_fragmentation_bytes", rss - used);
        field(sb, "mem_not_counted_for_evict", 0);
        field(sb, "mem_replication_backlog", e.replication().backlogMemory());
        field(sb, "mem_total_replication_buffers", 0);
        field(sb, "mem_clients_slaves", 0);
        field(sb, "mem_clients_normal", 0);
        field(sb, "mem_cluster_links", 0);
        field(sb, "mem_aof_buffer", 0);
        field(sb, "mem_allocator", "jvm");
        field(sb, "active_defrag_running", 0);
        field(sb, "lazyfree_pending_objects", 0);
        field(sb, "lazyfreed_objects", 0);
    }

    private static void persistence(Engine e, StringBuilder sb) {
        sb.append("# Persistence\r\n");
        field(sb, "loading", e.loading() || e.replication().loading() ? 1 : 0);
        field(sb, "async_loading", e.replication().asyncLoading() ? 1 : 0);
        field(sb, "current_cow_peak", 0);
        field(sb, "current_cow_size", 0);
        field(sb, "current_cow_size_age", 0);
        field(sb, "current_fork_perc", "0.00");
        field(sb, "current_save_keys_processed", 0);
        field(sb, "current_save_keys_total", 0);
        if (e.loading()) {
            long now = System.currentTimeMillis();
            long total = e.loadingTotalBytes();
            long loaded = e.loadingLoaded().get();
            long elapsedSec = Math.max(0, (now - e.loadingStart()) / 1000);
            field(sb, "loading_start_time", e.loadingStart() / 1000);
            field(sb, "loading_total_bytes", total);
            field(sb, "loading_rdb_used_mem", 0);
            field(sb, "loading_loaded_bytes", loaded);
            field(sb, "loading_loaded_perc", String.format(java.util.Locale.ROOT, "%.2f",
                    total == 0 ? 0.0 : loaded * 100.0 / total));
            field(sb, "loading_eta_seconds", loaded == 0 ? 1 : (long) ((total - loaded) / (loaded / (elapsedSec + 0.1))));
        } else {
            e.replication().loadingInfo(sb); // a replica loading its primary's snapshot
        }
        field(sb, "rdb_changes_since_last_save", e.stats().dirty);
        e.snapshots().rdbInfo(sb);
        field(sb, "rdb_last_load_keys_expired", 0);
        field(sb, "rdb_last_load_keys_loaded", 0);
        e.snapshots().aofInfo(sb);
    }

    private static void stats(Engine e, StringBuilder sb) {
        Stats s = e.stats();
        sb.append("# Stats\r\n");
        field(sb, "total_connections_received", s.connectionsReceived);
        field(sb, "total_commands_processed", s.commandsProcessed);
        field(sb, "instantaneous_ops_per_sec", s.instantaneousOps());
        field(sb, "total_net_input_bytes", s.netInputBytes.sum());
        field(sb, "total_net_output_bytes", s.netOutputBytes.sum());
        field(sb, "total_net_repl_input_bytes", e.replication().replInputBytes());
        field(sb, "total_net_repl_output_bytes", e.replication().replOutputBytes());
        field(sb, "instantaneous_input_kbps", "0.00");
        field(sb, "instantaneous_output_kbps", "0.00");
        field(sb, "instantaneous_input_repl_kbps", "0.00");
        field(sb, "instantaneous_output_repl_kbps", "0.00");
        field(sb, "rejected_connections", s.rejectedConnections.sum());
        field(sb, "sync_full", e.replication().syncFull());
        field(sb, "sync_partial_ok", e.replication().syncPartialOk());
        field(sb, "sync_partial_err", e.replication().syncPartialErr());
        field(sb, "expired_keys", s.expiredKeys);
        field(sb, "expired_stale_perc", "0.00");
        field(sb, "expired_time_cap_reached_count", 0);
        field(sb, "expire_cycle_cpu_milliseconds", 0);
        field(sb, "evicted_keys", s.evictedKeys);
        field(sb, "evicted_clients", 0);
        field(sb, "total_eviction_exceeded_time", 0);
        field(sb, "current_eviction_exceeded_time", 0);
        field(sb, "keyspace_hits", s.keyspaceHits);
        field(sb, "keyspace_misses", s.keyspaceMisses);
        field(sb, "pubsub_channels", e.pubsub().channelCount());
        field(sb, "pubsub_patterns", e.pubsub().patternCount());
        field(sb, "pubsubshard_channels", e.pubsub().shardChannelCount());
        field(sb, "latest_fork_usec", 0);
        field(sb, "total_forks", 0);
        field(sb, "migrate_cached_sockets", 0);
        field(sb, "slave_expires_tracked_keys", 0);
        field(sb, "active_defrag_hits", 0);
        field(sb, "active_defrag_misses", 0);
        field(sb, "active_defrag_key_hits", 0);
        field(sb, "active_defrag_key_misses", 0);
        field(sb, "total_active_defrag_time", 0);
        field(sb, "current_active_defrag_time", 0);
        field(sb, "tracking_total_keys", e.tracking().totalKeys());
        field(sb, "tracking_total_items", e.tracking().totalItems());
        field(sb, "tracking_total_prefixes", e.tracking().totalPrefixes());
        field(sb, "unexpected_error_replies", 0);
        field(sb, "total_error_replies", s.totalErrorReplies);
        field(sb, "dump_payload_sanitizations", 0);
        field(sb, "total_reads_processed", 0);
        field(sb, "total_writes_processed", 0);
        field(sb, "io_threaded_reads_processed", 0);
        field(sb, "io_threaded_writes_processed", 0);
        field(sb, "reply_buffer_shrinks", 0);
        field(sb, "reply_buffer_expands", 0);
        field(sb, "eventloop_cycles", 0);
        field(sb, "eventloop_duration_sum", 0);
        field(sb, "eventloop_duration_cmd_sum", 0);
        field(sb, "instantaneous_eventloop_cycles_per_sec", 0);
        field(sb, "instantaneous_eventloop_duration_usec", 0);
        field(sb, "acl_access_denied_auth", 0);
        field(sb, "acl_access_denied_cmd", 0);
        field(sb, "acl_access_denied_key", 0);
        field(sb, "acl_access_denied_channel", 0);
    }

    private static void replication(Engine e, StringBuilder sb) {
        e.replication().info(sb);
    }

    /** Seconds with 6 decimals, as Redis's {@code %ld.%06ld}. */
    private static String seconds(long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private static void cpu(StringBuilder sb) {
        long userNs = 0;
        long sysNs = 0;
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3, utime field 14, stime field 15 (1-based in proc(5))
            userNs = Long.parseLong(f[11]) * 10_000_000L;
            sysNs = Long.parseLong(f[12]) * 10_000_000L;
        } catch (IOException | RuntimeException ex) {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean) {
                userNs = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long mainCpu = 0;
        long mainUser = 0;
        if (threads.isCurrentThreadCpuTimeSupported()) {
            mainCpu = threads.getCurrentThreadCpuTime();
            mainUser = threads.getCurrentThreadUserTime();
        }
        sb.append("# CPU\r\n");
        field(sb, "used_cpu_sys", seconds(sysNs));
        field(sb, "used_cpu_user", seconds(userNs));
        field(sb, "used_cpu_sys_children", "0.000000");
        field(sb, "used_cpu_user_children", "0.000000");
        field(sb, "used_cpu_sys_main_thread", seconds(mainCpu - mainUser));
        field(sb, "used_cpu_user_main_thread", seconds(mainUser));
    }

    private static void commandstats(Engine e, StringBuilder sb) {
        sb.append("# Commandstats\r\n");
        for (Command cmd : e.commands().all()) {
            commandstat(cmd, sb);
            List<String> subs = new ArrayList<>(cmd.subcommands().keySet());
            subs.sort(null);
            for (String sub : subs) {
                commandstat(cmd.subcommands().get(sub), sb);
            }
        }
    }

    private static void commandstat(Command c, StringBuilder sb) {
        if (c.calls() == 0 && c.failedCalls() == 0 && c.rejectedCalls() == 0) {
            return;
        }
        double perCall = c.calls() == 0 ? 0 : (double) c.micros() / c.calls();
        sb.append("cmdstat_").append(c.spec().fullName()).append(":calls=").append(c.calls())
          .append(",usec=").append(c.micros()).append(",usec_per_call=").append(f2(perCall))
          .append(",rejected_calls=").append(c.rejectedCalls()).append(",failed_calls=").append(c.failedCalls())
          .append("\r\n");
    }

    private static void errorstats(Engine e, StringBuilder sb) {
        sb.append("# Errorstats\r\n");
        for (Map.Entry<String, Long> err : e.stats().errorCodes.entrySet()) {
            sb.append("errorstat_").append(err.getKey()).append(":count=").append(err.getValue()).append("\r\n");
        }
    }

    private static void keyspace(Engine e, StringBuilder sb) {
        sb.append("# Keyspace\r\n");
        for (int i = 0; i < e.databaseCount(); i++) {
            Database db = e.db(i);
            if (db.size() == 0) {
                continue;
            }
            sb.append("db").append(i).append(":keys=").append(db.size()).append(",expires=")
              .append(db.volatileCount()).append(",avg_ttl=").append(db.averageTtl()).append("\r\n");
        }
    }
}
