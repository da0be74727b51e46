/** HyperLogLog strings in Redis's byte layout: sparse and dense registers, merging and the cardinality estimate. */
package dev.peregrine.storage.hll;
