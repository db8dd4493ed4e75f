package io.glmvoicebatch.manifest;

import java.io.Serializable;

/**
 * A manifest line that cannot become an item. It still gets a failed ledger record, so the user sees
 * every line of their manifest accounted for.
 *
 * @param line 1-based line number in the manifest
 * @param id the line's id when one could be read, else a synthetic {@code line-N} key
 * @param message what is wrong, naming the line (and file where one is involved)
 */
public record ManifestProblem(int line, String id, String message) implements Serializable {}
