/** The replication commands: REPLICAOF/SLAVEOF, ROLE, REPLCONF, PSYNC/SYNC, WAIT, FAILOVER. */
package dev.peregrine.server.command.replication;
