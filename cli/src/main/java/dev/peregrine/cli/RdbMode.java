package dev.peregrine.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code --rdb <file>} and {@code --functions-rdb <file>}: asks the server for a snapshot as a replica would
 * ({@code REPLCONF capa eof}, {@code REPLCONF rdb-only 1}, optionally {@code REPLCONF rdb-filter-only functions},
 * then {@code SYNC}) and writes the payload to the file ({@code -} = stdout), reporting progress on stderr in
 * redis-cli's words. Handles both the sized ({@code $<len>}) and the EOF-marked (diskless) transfer; like
 * redis-cli, the 40-byte EOF mark is cut from a file but stays in stdout.
 *
 * <p>Single-threaded.
 */
final class RdbMode {
    private static final int EOF_MARK = 40;

    private final Connection conn;
    private final OutputStream stdout;
    private final PrintStream err;
    private final String filename;
    private final boolean functionsOnly;

    RdbMode(Connection conn, OutputStream stdout, PrintStream err, String filename, boolean functionsOnly) {
        this.conn = conn;
        this.stdout = stdout;
        this.err = err;
        this.filename = filename;
        this.functionsOnly = functionsOnly;
    }

    private void replconf(String a, String b) throws IOException {
        err.println("sending REPLCONF " + a + " " + b);
        Reply r = conn.callStrings("REPLCONF", a, b);
        if (r.type == Reply.ERROR) {
            err.println("REPLCONF " + a + " error: " + r.text());
        }
    }

    /** Runs the transfer; returns the exit code. */
    int run() throws IOException {
        replconf("capa", "eof");
        replconf("rdb-only", "1");
        if (functionsOnly) {
            replconf("rdb-filter-only", "functions");
        }
        conn.write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] line;
        do {
            line = conn.readRawLine(); // the server sends bare newlines while it prepares the snapshot
        } while (line.length == 0);
        String header = new String(line, StandardCharsets.ISO_8859_1);
        if (header.startsWith("-")) {
            err.println("SYNC with master failed: " + header.substring(1));
            return 1;
        }
        byte[] mark = null;
        long size = -1;
        if (header.startsWith("$EOF:") && header.length() >= 5 + EOF_MARK) {
            mark = header.substring(5, 5 + EOF_MARK).getBytes(StandardCharsets.ISO_8859_1);
            err.println("SYNC sent to master, writing bytes of bulk transfer until EOF marker to '" + filename + "'");
        } else {
            size = CliOptions.atol(header.substring(1));
            err.println("SYNC sent to master, writing " + size + " bytes to '" + filename + "'");
        }
        boolean toStdout = filename.equals("-");
        OutputStream out;
        if (toStdout) {
            out = stdout;
        } else {
            try {
                out = new FileOutputStream(filename);
            } catch (IOException e) {
                err.println("Error opening '" + filename + "': " + reason(e));
                return 1;
            }
        }
        long written = 0;
        byte[] buf = new byte[65536];
        byte[] tail = new byte[EOF_MARK];
        try {
            while (mark != null || written < size) {
                int want = mark != null ? buf.length : (int) Math.min(buf.length, size - written);
                int n = conn.readRaw(buf, 0, want);
                if (n < 0) {
                    err.println("I/O Error reading RDB payload from socket");
                    return 1;
                }
                out.write(buf, 0, n);
                written += n;
                if (mark != null) {
                    // keep the last 40 bytes seen to spot the mark
                    if (n >= EOF_MARK) {
                        System.arraycopy(buf, n - EOF_MARK, tail, 0, EOF_MARK);
                    } else {
                        System.arraycopy(tail, n, tail, 0, EOF_MARK - n);
                        System.arraycopy(buf, 0, tail, EOF_MARK - n, n);
                    }
                    if (written >= EOF_MARK && Arrays.equals(tail, mark)) {
                        break;
                    }
                }
            }
            out.flush();
        } finally {
            if (!toStdout) {
                out.close();
            }
        }
        if (mark != null) {
            written -= EOF_MARK;
            if (!toStdout) {
                try (RandomAccessFile f = new RandomAccessFile(filename, "rw")) {
                    f.setLength(written);
                }
            }
            err.println("Transfer finished with success after " + written + " bytes");
        } else {
            err.println("Transfer finished with success.");
        }
        return 0;
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        int paren = m == null ? -1 : m.lastIndexOf(" (");
        return paren >= 0 && m.endsWith(")") ? m.substring(paren + 2, m.length() - 1) : String.valueOf(m);
    }
}
