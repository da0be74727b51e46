package dev.peregrine.server.persistence;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/** Adds the bytes read through it to a counter (loading progress for INFO persistence). */
public final class CountingInputStream extends FilterInputStream {
    private final AtomicLong counter;

    public CountingInputStream(InputStream in, AtomicLong counter) {
        super(in);
        this.counter = counter;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counter.incrementAndGet();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counter.addAndGet(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long k = super.skip(n);
        counter.addAndGet(k);
        return k;
    }
}
