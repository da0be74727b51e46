package dev.peregrine.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code --stat}: every interval ({@code -i}, default 1 s) reads INFO and prints one line of keys (all databases),
 * used memory, clients, blocked clients, commands processed (with the change since the last line), connections
 * received, and a running child (SAVE, AOF, LOAD), in redis-cli's columns, with the header every 20 lines. Runs
 * until interrupted or the output closes.
 *
 * <p>Single-threaded.
 */
final class StatMode {
    static final String HEADER =
            "------- data ------ --------------------- load -------------------- - child -\n"
            + "keys       mem      clients blocked requests            connections          \n";

    private final Connection conn;
    private final OutputStream out;
    private final PrintStream err;
    private final long intervalMicros;

    StatMode(Connection conn, OutputStream out, PrintStream err, long intervalMicros) {
        this.conn = conn;
        this.out = out;
        this.err = err;
        this.intervalMicros = intervalMicros == 0 ? 1_000_000 : intervalMicros;
    }

    /** Runs until the connection or the output fails; returns the exit code. */
    int run() throws IOException {
        long requests = 0;
        for (long line = 0; ; line++) {
            Reply r;
            try {
                r = conn.callStrings("INFO");
            } catch (IOException e) {
                err.println("I/O error");
                return 1;
            }
            if (r.type == Reply.ERROR) {
                out.flush();
                err.println("ERROR: " + r.text());
                return 1;
            }
            String info = r.text();
            StringBuilder sb = new StringBuilder();
            if (line % 20 == 0) {
                sb.append(HEADER);
            }
            long keys = 0;
            for (int db = 0; db < 20; db++) {
                long k = field(info, "db" + db + ":keys");
                if (k != Long.MIN_VALUE) {
                    keys += k;
                }
            }
            pad(sb, Long.toString(keys), 11);
            pad(sb, bytesToHuman(field(info, "used_memory")), 8);
            sb.append(' ');
            pad(sb, Long.toString(field(info, "connected_clients")), 8);
            pad(sb, Long.toString(field(info, "blocked_clients")), 8);
            long processed = field(info, "total_commands_processed");
            pad(sb, processed + " (+" + (requests == 0 ? 0 : processed - requests) + ")", 19);
            requests = processed;
            sb.append(' ');
            pad(sb, Long.toString(field(info, "total_connections_received")), 12);
            long child = flag(info, "bgsave_in_progress") | flag(info, "aof_rewrite_in_progress") << 1
                    | flag(info, "loading") << 2;
            sb.append(child == 1 ? "SAVE" : child == 2 ? "AOF" : child == 3 ? "SAVE+AOF" : child == 4 ? "LOAD" : "");
            sb.append('\n');
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                Thread.sleep(intervalMicros / 1000, (int) (intervalMicros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    private static long flag(String info, String name) {
        long v = field(info, name);
        return v == Long.MIN_VALUE ? 0 : v;
    }

    private static void pad(StringBuilder sb, String s, int width) {
        sb.append(s);
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
    }

    /**
     * The integer after the first occurrence of {@code name} and one separator character ({@code :} or
     * {@code =}), up to {@code ,} or the line end; {@link Long#MIN_VALUE} when absent.
     */
    static long field(String info, String name) {
        int at = info.indexOf(name);
        if (at < 0) {
            return Long.MIN_VALUE;
        }
        int p = at + name.length() + 1;
        int end = p;
        while (end < info.length() && info.charAt(end) != ',' && info.charAt(end) != '\r'
                && info.charAt(end) != '\n') {
            end++;
        }
        return CliOptions.atol(info.substring(Math.min(p, end), end));
    }

    /** redis-cli's human-readable byte count: {@code 512B}, {@code 1.50K}, {@code 1.75M}, ... */
    static String bytesToHuman(long n) {
        String sign = "";
        if (n < 0) {
            sign = "-";
            n = -n;
        }
        String[] units = {"K", "M", "G", "T", "P"};
        if (n < 1024) {
            return sign + n + "B";
        }
        double d = n;
        for (String unit : units) {
            d /= 1024;
            if (d < 1024 || unit.equals("P")) {
                return sign + String.format(Locale.ROOT, "%.2f", d) + unit;
            }
        }
        return sign + n + "B";
    }
}
