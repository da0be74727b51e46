package dev.peregrine.server.exec;

import java.util.TreeMap;

/**
 * Server-wide counters for INFO stats and errorstats. Executor-owned, except {@link #rejectedConnections} and the
 * network byte counters, which I/O threads add to (atomic via the owning fields' volatile writes being
 * single-writer per connection is not enough, so those are {@code java.util.concurrent.atomic} adders).
 */
public final class Stats {
    public long commandsProcessed;
    public long connectionsReceived;
    public long expiredKeys;
    public long evictedKeys;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long totalErrorReplies;
    public long dirty;
    public final java.util.concurrent.atomic.LongAdder rejectedConnections = new java.util.concurrent.atomic.LongAdder();
    public final java.util.concurrent.atomic.LongAdder netInputBytes = new java.util.concurrent.atomic.LongAdder();
    public final java.util.concurrent.atomic.LongAdder netOutputBytes = new java.util.concurrent.atomic.LongAdder();
    /** Error replies by error code ({@code ERR}, {@code WRONGTYPE}, ...), for INFO errorstats. */
    public final TreeMap<String, Long> errorCodes = new TreeMap<>();

    /** Instantaneous ops/sec sampling, as Redis's STATS_METRIC_COMMAND: 16 samples taken by the cron. */
    private final long[] opsSamples = new long[16];
    private int sampleIndex;
    private long lastSampleTime;
    private long lastSampleCount;

    void sampleOps(long nowMs) {
        long dt = nowMs - lastSampleTime;
        if (dt < 100) {
            return;
        }
        long ops = commandsProcessed - lastSampleCount;
        opsSamples[sampleIndex] = ops * 1000 / Math.max(1, dt);
        sampleIndex = (sampleIndex + 1) % opsSamples.length;
        lastSampleTime = nowMs;
        lastSampleCount = commandsProcessed;
    }

    /** instantaneous_ops_per_sec. */
    public long instantaneousOps() {
        long sum = 0;
        for (long s : opsSamples) {
            sum += s;
        }
        return sum / opsSamples.length;
    }

    /** Counts one error reply whose text starts with {@code code}. */
    public void countError(String message) {
        totalErrorReplies++;
        int sp = message.indexOf(' ');
        String code = sp > 0 ? message.substring(0, sp) : message;
        if (code.startsWith("-")) {
            code = code.substring(1);
        }
        if (errorCodes.size() < 128 || errorCodes.containsKey(code)) {
            errorCodes.merge(code, 1L, Long::sum);
        }
    }

    /** CONFIG RESETSTAT. */
    public void reset() {
        commandsProcessed = 0;
        connectionsReceived = 0;
        expiredKeys = 0;
        evictedKeys = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        totalErrorReplies = 0;
        rejectedConnections.reset();
        netInputBytes.reset();
        netOutputBytes.reset();
        errorCodes.clear();
    }
}
