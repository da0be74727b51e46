package dev.peregrine.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands bytes received on a network thread to a loader thread that reads them as an {@link InputStream} (a
 * diskless RDB load): the network side {@link #write}s copies and ends with {@link #finish} or {@link #fail}; the
 * reader blocks until bytes come. {@link #pendingBytes} lets the writer stop reading the socket while the reader
 * lags, so memory stays bounded. Writer and reader may be different threads.
 */
public final class ChunkPipe extends InputStream {
    private static final byte[] END = new byte[0];
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private volatile String failure;
    private byte[] current;
    private int pos;
    private boolean ended;
    private Runnable onDrain = () -> { };
    private final long drainMark;

    /** @param drainMark when the bytes not yet read fall to this, {@link #onDrain} runs (on the reader thread) */
    public ChunkPipe(long drainMark) {
        this.drainMark = drainMark;
    }

    /** Sets what runs when the reader caught up to {@code drainMark} (the writer resumes reading its socket). */
    public void onDrain(Runnable r) {
        this.onDrain = r;
    }

    /** Bytes written but not read yet. Any thread. */
    public long pendingBytes() {
        return pending.get();
    }

    /** Copies {@code len} bytes for the reader. Writer thread. */
    public void write(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        pending.addAndGet(len);
        queue.add(copy);
    }

    /** The stream ends here: the reader sees end of file after the bytes written. Writer thread. */
    public void finish() {
        queue.add(END);
    }

    /** The transfer broke: the reader gets an {@link IOException} with {@code reason}. Any thread. */
    public void fail(String reason) {
        failure = reason;
        queue.add(END);
    }

    private boolean fill() throws IOException {
        while (current == null || pos == current.length) {
            if (ended) {
                return false;
            }
            byte[] next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while loading");
            }
            if (next == END) {
                ended = true;
                if (failure != null) {
                    throw new IOException(failure);
                }
                return false;
            }
            long left = pending.addAndGet(-next.length);
            if (left <= drainMark && left + next.length > drainMark) {
                onDrain.run();
            }
            current = next;
            pos = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            if (failure != null) {
                throw new IOException(failure);
            }
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }
}
