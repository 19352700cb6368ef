package dev.kiln.tasks;

import java.time.Instant;

/**
 * One durable task as stored.
 *
 * @param id the task's id
 * @param kind which {@link TaskHandler} runs it
 * @param payload the handler's input, as JSON text
 * @param status where the task is in its life
 * @param attempts how many times a runner has claimed it, this run included when RUNNING; more
 *     than {@code maxAttempts} for the give-up run of a task whose node died on its last attempt
 * @param maxAttempts how many attempts it gets before it is FAILED
 * @param runAfter the earliest time a runner may claim it (a retry's backoff moves it on)
 * @param claimedBy the node id of the runner that claimed it last, or null if never claimed
 * @param leaseUntil while RUNNING, when the claiming node's lease runs out unless renewed
 * @param lastError the message of the last failed attempt, or null
 * @param result the handler's result (JSON text) once SUCCEEDED, or null
 * @param createdAt when it was submitted
 * @param updatedAt when its row last changed
 */
public record Task(
    String id,
    String kind,
    String payload,
    TaskStatus status,
    int attempts,
    int maxAttempts,
    Instant runAfter,
    String claimedBy,
    Instant leaseUntil,
    String lastError,
    String result,
    Instant createdAt,
    Instant updatedAt) {}
