/**
 * PSYNC replication: the replication backlog and replication ids now; the primary and replica sides as they
 * come. Backlog and ids are executor-owned.
 */
package dev.peregrine.replication;
