package dev.peregrine.server.exec;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Facts about this server process fixed at start-up, for INFO server, HELLO and the start-up log. Immutable
 * after start-up except {@link #port}, set once the listener is bound; any thread.
 */
public final class ServerInfo {
    /** The Redis version Peregrine reports being compatible with (INFO redis_version, HELLO version). */
    public static final String REDIS_VERSION = "7.2.4";
    private final String version;
    private final String runId;
    private final long pid;
    private final String executable;
    private volatile int port;
    private volatile String configFile = "";
    private final String masterReplId;
    private volatile long usedMemoryPeak;

    public ServerInfo() {
        Package p = ServerInfo.class.getPackage();
        String v = p != null ? p.getImplementationVersion() : null;
        this.version = v != null ? v : "0.1.0";
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        byte[] replId = new byte[20];
        new SecureRandom().nextBytes(replId);
        this.masterReplId = HexFormat.of().formatHex(replId);
        this.pid = ProcessHandle.current().pid();
        this.executable = ProcessHandle.current().info().command().orElse("java");
    }

    /** Peregrine's own version. */
    public String version() {
        return version;
    }

    /** 40 hex characters, random per start (INFO run_id). */
    public String runId() {
        return runId;
    }

    public long pid() {
        return pid;
    }

    public String executable() {
        return executable;
    }

    public int port() {
        return port;
    }

    public void port(int port) {
        this.port = port;
    }

    public String configFile() {
        return configFile;
    }

    public void configFile(String path) {
        this.configFile = path == null ? "" : path;
    }

    /** The replication ID, 40 hex characters, random per start (INFO master_replid). */
    public String masterReplId() {
        return masterReplId;
    }

    /** The highest {@code used_memory} seen so far, bytes. */
    public long usedMemoryPeak() {
        return usedMemoryPeak;
    }

    /** Records a {@code used_memory} sample for the peak; returns the peak. */
    public long sampleUsedMemory(long used) {
        if (used > usedMemoryPeak) {
            usedMemoryPeak = used;
        }
        return usedMemoryPeak;
    }
}
