package dev.sluice.core.backlog;

/**
 * What an append did.
 *
 * @param accepted events that were new and are now durable
 * @param duplicates events whose identity was already in the backlog
 */
public record AppendResult(int accepted, int duplicates) {}
