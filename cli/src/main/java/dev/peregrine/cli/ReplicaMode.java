package dev.peregrine.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code --replica}: attaches to the server as a replica ({@code REPLCONF capa eof}, {@code SYNC}), discards the
 * snapshot, then prints every command of the replication stream as a CSV line ({@code "set","k","v"}), until the
 * connection or the output closes. Progress goes to stderr in redis-cli's words. After an EOF-marked transfer it
 * sends {@code REPLCONF ACK 0} after one second and, as redis-cli does, takes the next stream entry as that
 * command's reply (so the first entry, usually a SELECT, is not printed).
 *
 * <p>Single-threaded.
 */
final class ReplicaMode {
    private static final int EOF_MARK = 40;

    private final Connection conn;
    private final OutputStream out;
    private final PrintStream err;

    ReplicaMode(Connection conn, OutputStream out, PrintStream err) {
        this.conn = conn;
        this.out = out;
        this.err = err;
    }

    private void replconf(String a, String b) throws IOException {
        err.println("sending REPLCONF " + a + " " + b);
        Reply r = conn.callStrings("REPLCONF", a, b);
        if (r.type == Reply.ERROR) {
            err.println("REPLCONF " + a + " error: " + r.text());
        }
    }

    /** Runs until the stream ends; returns the exit code. */
    int run() throws IOException {
        replconf("capa", "eof");
        replconf("rdb-filter-only", "");
        conn.write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] line;
        do {
            line = conn.readRawLine();
        } while (line.length == 0);
        String header = new String(line, StandardCharsets.ISO_8859_1);
        if (header.startsWith("-")) {
            err.println("SYNC with master failed: " + header.substring(1));
            return 1;
        }
        byte[] buf = new byte[65536];
        if (header.startsWith("$EOF:") && header.length() >= 5 + EOF_MARK) {
            byte[] mark = header.substring(5, 5 + EOF_MARK).getBytes(StandardCharsets.ISO_8859_1);
            err.println("SYNC with master, discarding bytes of bulk transfer until EOF marker...");
            byte[] tail = new byte[EOF_MARK];
            long read = 0;
            while (true) {
                // read no further than the mark could end, so the stream after it stays buffered
                int n = conn.readRaw(buf, 0, read < EOF_MARK ? (int) (EOF_MARK - read) : 1);
                if (n < 0) {
                    err.println("Error reading RDB payload while SYNCing");
                    return 1;
                }
                for (int i = 0; i < n; i++) {
                    System.arraycopy(tail, 1, tail, 0, EOF_MARK - 1);
                    tail[EOF_MARK - 1] = buf[i];
                }
                read += n;
                if (read >= EOF_MARK && Arrays.equals(tail, mark)) {
                    break;
                }
            }
            err.println("SYNC done after " + (read - EOF_MARK) + " bytes. Logging commands from master.");
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            replconf("ACK", "0");
        } else {
            long size = CliOptions.atol(header.substring(1));
            err.println("SYNC with master, discarding " + size + " bytes of bulk transfer...");
            long left = size;
            while (left > 0) {
                int n = conn.readRaw(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    err.println("Error reading RDB payload while SYNCing");
                    return 1;
                }
                left -= n;
            }
            err.println("SYNC done. Logging commands from master.");
        }
        while (true) {
            Reply r;
            try {
                r = conn.read();
            } catch (IOException e) {
                return 0;
            }
            out.write(ReplyFormatter.csv(r));
            out.write('\n');
            out.flush();
        }
    }
}
