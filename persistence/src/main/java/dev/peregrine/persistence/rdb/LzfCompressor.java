package dev.peregrine.persistence.rdb;

import com.ning.compress.lzf.LZFChunk;
import com.ning.compress.lzf.impl.VanillaChunkEncoder;

/**
 * Compresses a string into one raw LZF block (no header), the form RDB's {@code 0xC3} strings hold and
 * {@link Lzf} decodes: literal runs of up to 32 bytes and back-references of 3 to 264 bytes at most 8192 bytes
 * back (liblzf's format).
 *
 * <p>The compression itself is {@code com.ning:compress-lzf}'s block encoder ({@code VanillaChunkEncoder}), called
 * once over the whole input rather than per 64 KB chunk, so the output is one block like liblzf's (it refuses
 * back-references before the input's start, and its hash table only speeds up the search, so any input length
 * works). The output differs byte-wise from Redis's liblzf (another hash), but decodes to the same bytes.
 *
 * <p>Not thread-safe: one instance per writer thread (it keeps the encoder's hash table).
 */
final class LzfCompressor {
    /** Shortest input compressed (the encoder needs a few bytes of look-ahead). */
    static final int MIN_INPUT = 16;

    private final Encoder encoder = new Encoder();

    /** Exposes the protected block compression of the library's encoder. */
    private static final class Encoder extends VanillaChunkEncoder {
        Encoder() {
            super(LZFChunk.MAX_CHUNK_LEN);
        }

        int block(byte[] in, int from, int to, byte[] out) {
            return tryCompress(in, from, to, out, 0);
        }
    }

    /** The output room {@link #compress} needs for {@code len} input bytes (incompressible input grows 1/32). */
    static int maxCompressedLength(int len) {
        return len + (len >>> 5) + 16;
    }

    /**
     * Compresses {@code in[off, off+len)} into {@code out} from index 0.
     *
     * @param out at least {@link #maxCompressedLength}{@code (len)} bytes
     * @return the compressed length, or 0 when {@code len} is below {@link #MIN_INPUT}
     */
    int compress(byte[] in, int off, int len, byte[] out) {
        if (len < MIN_INPUT) {
            return 0;
        }
        return encoder.block(in, off, off + len, out);
    }
}
