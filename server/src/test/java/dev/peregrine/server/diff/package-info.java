/** Differential tests: the same command scripts run against a real redis-server and Peregrine, replies compared byte for byte. */
package dev.peregrine.server.diff;
