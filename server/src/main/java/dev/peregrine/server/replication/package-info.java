/**
 * PSYNC replication wired into the server: the replica side (a link to a primary that loads its RDB and applies
 * its stream) and the primary side (replicas served from snapshots and the replication backlog).
 */
package dev.peregrine.server.replication;
