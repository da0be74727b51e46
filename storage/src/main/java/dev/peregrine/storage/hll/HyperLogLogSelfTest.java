package dev.peregrine.storage.hll;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The checks behind PFSELFTEST: dense registers read back what was written, a sparse and a dense HLL fed the
 * same elements hold the same registers and estimate, and the estimate stays within a few standard errors of
 * the true count. Any thread.
 */
public final class HyperLogLogSelfTest {
    private HyperLogLogSelfTest() {
    }

    /**
     * Runs the checks.
     *
     * @param sparseMaxBytes the configured hll-sparse-max-bytes, for the sparse HLL
     * @return null when everything passed, else what failed
     */
    public static String run(long sparseMaxBytes) {
        SplittableRandom rnd = new SplittableRandom(0x5eed);
        byte[] regs = new byte[HyperLogLog.DENSE_SIZE];
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                expected[i] = rnd.nextInt(64);
                HyperLogLog.denseSet(regs, HyperLogLog.HEADER, i, expected[i]);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                if (HyperLogLog.denseGet(regs, HyperLogLog.HEADER, i) != expected[i]) {
                    return "Register error at " + i;
                }
            }
        }
        HyperLogLog sparse = HyperLogLog.create();
        HyperLogLog dense = HyperLogLog.create();
        dense.toDense();
        double relErr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long checkpoint = 1;
        for (long n = 1; n <= 200_000; n++) {
            byte[] ele = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
            sparse.add(ele, (int) Math.min(Integer.MAX_VALUE, sparseMaxBytes));
            dense.add(ele, 0);
            if (n == checkpoint) {
                long a = HyperLogLog.count(sparse.array(), 0, sparse.length());
                long b = HyperLogLog.count(dense.array(), 0, dense.length());
                if (a != b) {
                    return "Sparse and dense estimates differ at " + n + ": " + a + " vs " + b;
                }
                double err = Math.abs((double) b - n) / n;
                double allowed = n < 10 ? 1.0 / n : 5 * relErr;
                if (err > allowed && Math.abs(b - n) > 1) {
                    return "Estimate " + b + " for " + n + " elements is off by " + err;
                }
                checkpoint *= 10;
            }
        }
        byte[] a = new byte[HyperLogLog.REGISTERS];
        byte[] b = new byte[HyperLogLog.REGISTERS];
        if (!HyperLogLog.merge(a, sparse.array(), 0, sparse.length())
                || !HyperLogLog.merge(b, dense.array(), 0, dense.length())
                || !java.util.Arrays.equals(a, b)) {
            return "Sparse and dense registers differ";
        }
        return null;
    }
}
