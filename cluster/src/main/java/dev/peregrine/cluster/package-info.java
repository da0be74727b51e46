/**
 * Redis Cluster's key distribution: hash slots, and later redirects and the cluster bus. Stateless helpers here
 * may be used from any thread; cluster state, when it comes, is executor-owned.
 */
package dev.peregrine.cluster;
