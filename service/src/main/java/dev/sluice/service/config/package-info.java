/**
 * The configuration of {@code sluice serve}: immutable records validated at construction, and the
 * loader that reads them from YAML with one-line errors naming the key ({@code limits.window.limit:
 * must be > 0, got -5}).
 */
package dev.sluice.service.config;
