/**
 * Orchestration (Heat v1): stacks described by templates, created, updated and deleted by a
 * durable graph engine over persisted resource rows.
 *
 * <p>The rooms, and who may call whom:
 *
 * <ul>
 *   <li>{@code orchestration.template} — the template language, pure: parsing (HOT and CFN, YAML
 *       1.1 as PyYAML reads it, JSON), functions per version, parameters and their constraints,
 *       environments, property validation against a {@link
 *       dev.kiln.orchestration.template.schema.ResourceSchema}. No HTTP, no database, no
 *       services. Its entry point is {@link dev.kiln.orchestration.template.TemplateLanguage}.
 *   <li>{@code orchestration} (this package) — the service surface the API calls: {@link
 *       dev.kiln.orchestration.OrchestrationService} and the records it answers with.
 *   <li>{@code orchestration.engine} — stack operations as durable tasks: the dependency graph,
 *       the walker that starts each resource once its dependencies are done, the stack lock,
 *       events, crash resumption.
 *   <li>{@code orchestration.resources} — resource types ({@code OS::Heat::*} here; the cloud's
 *       types reach Compute, Networking, Block Storage only through their service interfaces).
 *   <li>{@code orchestration.store} — the orchestration tables; nothing else reads them.
 *   <li>{@code orchestration.api} — HTTP translation only.
 * </ul>
 */
package dev.kiln.orchestration;
