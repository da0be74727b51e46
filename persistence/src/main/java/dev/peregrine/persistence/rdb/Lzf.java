package dev.peregrine.persistence.rdb;

/**
 * A strict decompressor for raw LZF blocks as Redis writes them (liblzf's {@code lzf_compress} output with no
 * header): a control byte below 32 starts a literal run of control+1 bytes; otherwise its top three bits give a
 * match length minus 2 (7 = one more length byte follows) and its low five bits with the next byte give the
 * back-reference distance minus 1.
 *
 * <p>Why not {@code com.ning:compress-lzf}: its block decoder ({@code ChunkDecoder.decodeChunk}) reads the same
 * format but takes no input end, so it cannot refuse a block whose compressed length does not match, and it reports
 * bad back-references as array index errors (or, in its Unsafe variant, not at all). An RDB loader must refuse such
 * input with the offset of the fault, so this small decoder checks every read and write.
 *
 * <p>Stateless; any thread.
 */
final class Lzf {
    private Lzf() {
    }

    /**
     * Decompresses {@code in} (all of it) into exactly {@code out.length} bytes.
     *
     * @return null on success, otherwise what was wrong
     */
    static String decompress(byte[] in, byte[] out) {
        int ip = 0;
        int op = 0;
        int inEnd = in.length;
        int outEnd = out.length;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (ip + run > inEnd) {
                    return "LZF literal run of " + run + " bytes overruns the compressed data";
                }
                if (op + run > outEnd) {
                    return "LZF output exceeds the declared length " + outEnd;
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= inEnd) {
                        return "LZF match length byte missing";
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= inEnd) {
                    return "LZF match distance byte missing";
                }
                int ref = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
                len += 2;
                if (ref < 0) {
                    return "LZF back-reference before the start of the output";
                }
                if (op + len > outEnd) {
                    return "LZF output exceeds the declared length " + outEnd;
                }
                for (int i = 0; i < len; i++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outEnd) {
            return "LZF output is " + op + " bytes, declared " + outEnd;
        }
        return null;
    }
}
