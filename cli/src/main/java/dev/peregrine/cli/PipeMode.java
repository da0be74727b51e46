package dev.peregrine.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * {@code --pipe}: streams stdin (raw RESP or inline commands) to the server while a second thread reads and counts
 * the replies, printing error replies to stderr. An {@code ECHO} of 20 random bytes follows the data so the reader
 * knows the last reply when it sees the echo. Prints redis-cli's three progress lines to stdout and exits 1 if any
 * reply was an error or no reply came for {@code --pipe-timeout} seconds after the data was sent (0 = wait forever).
 *
 * <p>Two threads: the caller writes, a daemon thread reads.
 */
final class PipeMode {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Connection conn;
    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;
    private final int timeoutSeconds;
    private final byte[] magic = new byte[20];
    private final CountDownLatch written = new CountDownLatch(1);

    private volatile long lastReadNanos = System.nanoTime();
    private volatile boolean done;
    private volatile String readFailure;
    private long errors;
    private long replies;

    PipeMode(Connection conn, InputStream in, OutputStream out, PrintStream err, int timeoutSeconds) {
        this.conn = conn;
        this.in = in;
        this.out = out;
        this.err = err;
        this.timeoutSeconds = timeoutSeconds;
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < magic.length; i++) {
            magic[i] = HEX[random.nextInt(16)];
        }
    }

    /** Runs the transfer; returns the exit code. */
    int run() throws IOException {
        Thread reader = new Thread(this::readReplies, "peregrine-cli-pipe-reader");
        reader.setDaemon(true);
        reader.start();
        byte[] chunk = new byte[65536];
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                conn.write(chunk, 0, n);
            }
            byte[] echo = ("*2\r\n$4\r\nECHO\r\n$20\r\n" + new String(magic, StandardCharsets.US_ASCII) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            conn.write(echo);
        } catch (IOException e) {
            if (readFailure == null) {
                err.println("Error writing to the server: " + e.getMessage());
                return 1;
            }
        }
        out.write("All data transferred. Waiting for the last reply...\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        lastReadNanos = Math.max(lastReadNanos, System.nanoTime());
        written.countDown();
        try {
            while (reader.isAlive()) {
                reader.join(200);
                if (reader.isAlive() && timeoutSeconds > 0
                        && System.nanoTime() - lastReadNanos > timeoutSeconds * 1_000_000_000L) {
                    err.println("No replies for " + timeoutSeconds + " seconds: exiting.");
                    return 1;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (!done) {
            err.println("Error reading replies from the server: " + readFailure);
            return 1;
        }
        out.write(("Last reply received from server.\nerrors: " + errors + ", replies: " + replies + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return errors > 0 ? 1 : 0;
    }

    private void readReplies() {
        try {
            while (true) {
                byte type = conn.skip();
                lastReadNanos = System.nanoTime();
                if (type == '-' || type == '!') {
                    err.println(new String(conn.lastError, StandardCharsets.UTF_8));
                    errors++;
                } else if (type == '$') {
                    if (isMagic()) {
                        written.await();
                        done = true;
                        return;
                    }
                }
                replies++;
            }
        } catch (IOException e) {
            readFailure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isMagic() {
        byte[] last = conn.lastBulk;
        return last != null && Arrays.equals(last, magic);
    }
}
