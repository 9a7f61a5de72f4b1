export { createAuditRepository, type AuditRepository, type AuditEntry, type AuditRecord } from './audit.repository.js';
