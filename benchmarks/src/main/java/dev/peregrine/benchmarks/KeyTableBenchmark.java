package dev.peregrine.benchmarks;

import dev.peregrine.storage.Entry;
import dev.peregrine.storage.KeyHash;
import dev.peregrine.storage.KeyTable;
import dev.peregrine.storage.StringEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Look-up and replacement on a {@link KeyTable} holding {@code keys} string entries (1M by default), with keys
 * visited in a shuffled order so that the table's memory layout, not the cache, decides the cost. Keys look like
 * redis-benchmark's ({@code key:000000123456}), values are 16 bytes.
 *
 * <p>Run: {@code java -jar benchmarks/target/peregrine-benchmarks.jar KeyTableBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class KeyTableBenchmark {
    @Param("1000000")
    int keys;

    private KeyTable table;
    private byte[][] present;
    private int[] presentHashes;
    private byte[][] absent;
    private byte[][] replacements;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        SplittableRandom random = new SplittableRandom(42);
        table = new KeyTable();
        present = new byte[keys][];
        presentHashes = new int[keys];
        absent = new byte[keys][];
        replacements = new byte[keys][];
        byte[] value = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < keys; i++) {
            byte[] key = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
            present[i] = key;
            presentHashes[i] = KeyHash.hash(key);
            absent[i] = String.format("nokey:%012d", i).getBytes(StandardCharsets.US_ASCII);
            table.put(key, presentHashes[i], StringEntry.create(key, value, Entry.NO_EXPIRE, 0));
        }
        while (table.rehashSlots(1 << 20)) {
            // finish any rehash so every iteration measures a settled table
        }
        shuffle(random, present, presentHashes);
        for (int i = 0; i < keys; i++) {
            replacements[i] = StringEntry.create(present[i], value, Entry.NO_EXPIRE, 1);
        }
    }

    private static void shuffle(SplittableRandom random, byte[][] keys, int[] hashes) {
        for (int i = keys.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte[] k = keys[i];
            keys[i] = keys[j];
            keys[j] = k;
            int h = hashes[i];
            hashes[i] = hashes[j];
            hashes[j] = h;
        }
    }

    private int nextIndex() {
        int i = next;
        next = (i + 1 == keys) ? 0 : i + 1;
        return i;
    }

    /** GET of an existing key, hashing included. */
    @Benchmark
    public Object getHit() {
        return table.get(present[nextIndex()]);
    }

    /** GET of a missing key, hashing included. */
    @Benchmark
    public Object getMiss() {
        return table.get(absent[nextIndex()]);
    }

    /** SET of an existing key to a prebuilt entry, hashing included (no allocation measured). */
    @Benchmark
    public Object putReplace() {
        int i = nextIndex();
        byte[] key = present[i];
        return table.put(key, KeyHash.hash(key), replacements[i]);
    }

    /** The key hash alone, to subtract from the figures above. */
    @Benchmark
    public int hashOnly() {
        return KeyHash.hash(present[nextIndex()]);
    }
}
