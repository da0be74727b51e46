package dev.peregrine.persistence.rdb;

import dev.peregrine.persistence.Crc64;
import dev.peregrine.storage.Numbers;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An {@link RdbOutput} that writes the final RDB bytes to an {@link OutputStream} through its own buffer (64 KB
 * unless told), choosing each string's encoding as Redis's {@code rdbSaveRawString} does, and keeping the running
 * CRC-64 of every byte written (for the file trailer, see {@link RdbFileWriter}).
 *
 * <h2>String encoding (docs/spec/rdb.md section 2)</h2>
 * <ol>
 * <li>A string of at most 11 bytes that is a canonical decimal integer (Redis's {@code string2ll}: no sign
 * {@code +}, no leading zero, no {@code -0}) within 32-bit range is written as {@code 0xC0} + 1 byte,
 * {@code 0xC1} + 2 bytes or {@code 0xC2} + 4 bytes, signed little-endian.</li>
 * <li>Otherwise, with compression on and more than 20 bytes, the string is LZF-compressed
 * ({@link LzfCompressor}); when that takes at most {@code length - 4} bytes it is written as {@code 0xC3},
 * the compressed length, the original length (both RDB lengths), then the compressed bytes.</li>
 * <li>Otherwise: an RDB length and the bytes.</li>
 * </ol>
 *
 * <p>Not thread-safe: one thread writes, then calls {@link #flush()}; the caller closes the stream.
 */
public final class RdbStreamOutput extends RdbOutput {
    private static final int BUFFER = 64 * 1024;
    /** Strings up to this many bytes may be integer-encoded (the longest 32-bit decimal is 11 bytes). */
    static final int MAX_INT_STRING = 11;
    /** Strings must be longer than this to be tried for LZF (Redis: shorter ones never compress). */
    static final int MIN_LZF_STRING = 20;

    private final OutputStream out;
    private final boolean compression;
    private final byte[] buf;
    private int pos;
    /** Bytes of {@link #buf} already folded into {@link #crc}. */
    private int crcDone;
    private long crc;
    private long flushed;
    private LzfCompressor lzf;
    private byte[] lzfOut = new byte[0];

    /**
     * @param out the destination; written to only in {@link #flush()} and when the buffer fills
     * @param compression {@code rdbcompression}: LZF-compress strings over 20 bytes when it saves space
     */
    public RdbStreamOutput(OutputStream out, boolean compression) {
        this(out, compression, BUFFER);
    }

    /** The same with a buffer of {@code bufferSize} bytes (small for one DUMP payload, 64 KB for a file). */
    public RdbStreamOutput(OutputStream out, boolean compression, int bufferSize) {
        this.out = out;
        this.compression = compression;
        this.buf = new byte[Math.max(16, bufferSize)];
    }

    /** Whether strings are LZF-compressed when that saves space. */
    public boolean compression() {
        return compression;
    }

    @Override
    public void writeByte(int b) throws IOException {
        if (pos == buf.length) {
            drain();
        }
        buf[pos++] = (byte) b;
    }

    @Override
    public void writeBytes(byte[] b, int off, int len) throws IOException {
        if (len <= buf.length - pos) {
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
            return;
        }
        drain();
        if (len <= buf.length) {
            System.arraycopy(b, off, buf, 0, len);
            pos = len;
            return;
        }
        crc = Crc64.update(crc, b, off, len);
        out.write(b, off, len);
        flushed += len;
    }

    @Override
    public void writeString(byte[] b, int off, int len) throws IOException {
        if (len <= MAX_INT_STRING && writeIntEncoded(b, off, len)) {
            return;
        }
        if (compression && len > MIN_LZF_STRING && writeLzf(b, off, len)) {
            return;
        }
        writeLength(len);
        writeBytes(b, off, len);
    }

    /** Writes the integer form of a canonical 32-bit decimal; false (nothing written) for any other string. */
    private boolean writeIntEncoded(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return false;
        }
        long v = Numbers.parseLong(b, off, len);
        if (v == Numbers.NOT_A_LONG || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return false; // NOT_A_LONG itself is far outside 32 bits, so no valid value is lost here
        }
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            writeByte(0xC0 | RdbDescriptor.ENC_INT8);
            writeByte((int) v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte(0xC0 | RdbDescriptor.ENC_INT16);
            writeByte((int) v);
            writeByte((int) (v >>> 8));
        } else {
            writeByte(0xC0 | RdbDescriptor.ENC_INT32);
            writeByte((int) v);
            writeByte((int) (v >>> 8));
            writeByte((int) (v >>> 16));
            writeByte((int) (v >>> 24));
        }
        return true;
    }

    /** Writes the LZF form when it takes at most {@code len - 4} bytes; false (nothing written) otherwise. */
    private boolean writeLzf(byte[] b, int off, int len) throws IOException {
        if (lzf == null) {
            lzf = new LzfCompressor();
        }
        int need = LzfCompressor.maxCompressedLength(len);
        if (lzfOut.length < need) {
            lzfOut = new byte[Math.max(need, Math.min(2 * lzfOut.length, 1 << 20))];
        }
        int clen = lzf.compress(b, off, len, lzfOut);
        if (clen <= 0 || clen > len - 4) {
            return false;
        }
        writeByte(0xC0 | RdbDescriptor.ENC_LZF);
        writeLength(clen);
        writeLength(len);
        writeBytes(lzfOut, 0, clen);
        if (lzfOut.length > (1 << 20)) {
            lzfOut = new byte[0]; // do not keep a huge scratch array after one huge value
        }
        return true;
    }

    /** The CRC-64 of every byte written so far. */
    public long checksum() {
        crc = Crc64.update(crc, buf, crcDone, pos - crcDone);
        crcDone = pos;
        return crc;
    }

    /** Bytes written so far (buffered ones included). */
    public long bytesWritten() {
        return flushed + pos;
    }

    private void drain() throws IOException {
        checksum();
        out.write(buf, 0, pos);
        flushed += pos;
        pos = 0;
        crcDone = 0;
    }

    /** Writes the buffered bytes to the stream and flushes it. */
    public void flush() throws IOException {
        drain();
        out.flush();
    }
}
