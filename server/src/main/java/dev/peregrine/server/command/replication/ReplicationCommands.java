package dev.peregrine.server.command.replication;

import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.replication.Replication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REPLICAOF/SLAVEOF, ROLE and REPLCONF: adapt arguments and replies; {@link Replication} does the work.
 * Executor-only.
 */
public final class ReplicationCommands {
    private static final Logger log = LoggerFactory.getLogger(ReplicationCommands.class);

    private ReplicationCommands() {
    }

    public static void register(CommandTable t) {
        t.register("replicaof", ReplicationCommands::replicaof);
        t.register("slaveof", ReplicationCommands::replicaof);
        t.register("role", c -> c.engine().replication().role(c.reply()));
        t.register("replconf", ReplicationCommands::replconf);
        t.register("psync", c -> sync(c, false));
        t.register("sync", c -> sync(c, true));
        t.register("wait", ReplicationCommands::waitCommand);
        t.register("failover", c -> c.engine().replication().failoverCommand(c));
    }

    /** REPLICAOF host port | NO ONE. */
    static void replicaof(CommandContext c) {
        Replication r = c.engine().replication();
        if (r.failoverInProgress()) {
            throw new CommandError("ERR REPLICAOF not allowed while failing over.");
        }
        if (c.argIs(1, "no") && c.argIs(2, "one")) {
            if (r.isReplica()) {
                r.unsetMaster();
                log.info("MASTER MODE enabled (user request from '{}')", c.client().address());
            }
            c.reply().ok();
            return;
        }
        long port;
        try {
            port = Long.parseLong(c.argString(2));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new CommandError("ERR Invalid master port");
        }
        String host = c.argString(1);
        if (r.isReplicaOf(host, (int) port)) {
            log.info("REPLICAOF would result into synchronization with the master we are already connected with. "
                     + "No operation performed.");
            c.reply().simpleString("OK Already connected to specified master");
            return;
        }
        r.setMaster(host, (int) port);
        log.info("REPLICAOF {}:{} enabled (user request from '{}')", host, port, c.client().address());
        c.reply().ok();
    }

    /** PSYNC replid offset, or SYNC ({@code legacy}). */
    static void sync(CommandContext c, boolean legacy) {
        String error = c.engine().replication().psync(c.client(), c.reply(), legacy ? "?" : c.argString(1),
                                                      legacy ? "-1" : c.argString(2), legacy,
                                                      !legacy && c.argc() > 3 && c.argIs(3, "failover"));
        if (error != null && !error.isEmpty()) {
            throw new CommandError(error);
        }
    }

    /** WAIT numreplicas timeout. */
    static void waitCommand(CommandContext c) {
        Replication r = c.engine().replication();
        if (r.isReplica()) {
            throw new CommandError("ERR WAIT cannot be used with replica instances. Please also note that since "
                    + "Redis 4.0 if a replica is configured to be writable (which is not the default) writes to "
                    + "replicas are just local and are not propagated.");
        }
        long num = c.longArg(1);
        long timeout = c.longArg(2, "ERR timeout is not an integer or out of range");
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        r.waitCommand(c, num, timeout);
    }

    /** REPLCONF option value [option value ...]. */
    static void replconf(CommandContext c) {
        if (c.argc() % 2 == 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        Replication r = c.engine().replication();
        for (int i = 1; i < c.argc(); i += 2) {
            String option = c.argLower(i);
            switch (option) {
                case "listening-port" -> {
                    long port;
                    try {
                        port = Long.parseLong(c.argString(i + 1));
                    } catch (NumberFormatException e) {
                        throw new CommandError(Errors.NOT_INTEGER);
                    }
                    r.replconf(c.client(), option, Long.toString(port));
                }
                case "ip-address", "capa" -> r.replconf(c.client(), option, c.argString(i + 1));
                case "rdb-only", "rdb-filter-only" -> {
                }
                case "ack" -> {
                    // acknowledgements get no reply
                    try {
                        r.ack(c.client(), Long.parseLong(c.argString(i + 1)));
                    } catch (NumberFormatException e) {
                        // Redis ignores a malformed ACK
                    }
                    return;
                }
                case "fack" -> {
                    return;
                }
                case "getack" -> {
                    if (c.client() == r.masterClient()) {
                        r.ackRequested();
                    }
                    return;
                }
                default -> throw new CommandError("ERR Unrecognized REPLCONF option: " + c.argString(i));
            }
        }
        c.reply().ok();
    }
}
