/**
 * Namespaces and action URIs of Dynamics AX 2012 AIF services exposed through an HTTP inbound port
 * (https://learn.microsoft.com/en-ca/dynamicsax-2012/appuser-itpro/walkthrough-exchanging-documents-by-using-the-http-adapter;
 * message format: ../shared/fixtures/erp/ax2012-aif_*.xml from MicrosoftDocs/DynamicsAX2012-technet example-create-action.md
 * and example-read-action.md).
 */
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const CALL_CONTEXT_NS = 'http://schemas.microsoft.com/dynamics/2010/01/datacontracts';
/** Document services (SalesOrderService, CustomerService, ItemService): request/response wrappers live here. */
export const AX_SERVICES_NS = 'http://schemas.microsoft.com/dynamics/2008/01/services';
export const AX_DOCUMENTS_NS = 'http://schemas.microsoft.com/dynamics/2008/01/documents';
export const ENTITY_KEY_LIST_NS = 'http://schemas.microsoft.com/dynamics/2006/02/documents/EntityKeyList';
export const ENTITY_KEY_NS = 'http://schemas.microsoft.com/dynamics/2006/02/documents/EntityKey';
export const QUERY_CRITERIA_NS = 'http://schemas.microsoft.com/dynamics/2006/02/documents/QueryCriteria';
export const FAULT_NS = 'http://schemas.microsoft.com/dynamics/2008/01/documents/Fault';
/** X++ custom services (our DealerHub services, CUSTOM-SERVICES.md) use AX's defaults: tempuri.org and the data contract namespace. */
export const CUSTOM_SERVICES_NS = 'http://tempuri.org';
export const DATA_CONTRACT_NS = 'http://schemas.datacontract.org/2004/07/Dynamics.Ax.Application';
export const ARRAYS_NS = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** The document namespace of a document service's document ("SalesOrder" → …/documents/SalesOrder). */
export const documentNs = (document: string) => `${AX_DOCUMENTS_NS}/${document}`;

export type AxServiceKind = 'document' | 'custom';

export const SERVICE_KIND: Record<string, AxServiceKind> = {
  SalesOrderService: 'document',
  CustomerService: 'document',
  ItemService: 'document',
  DhCatalogService: 'custom',
  DhInventOnhandService: 'custom',
  DhCustFinanceService: 'custom',
  DhCustDocumentService: 'custom',
};

/** SOAPAction of an operation: document services under AX's services namespace, custom services under tempuri.org. */
export function actionOf(service: string, operation: string): string {
  return SERVICE_KIND[service] === 'custom' ? `${CUSTOM_SERVICES_NS}/${service}/${operation}` : `${AX_SERVICES_NS}/${service}/${operation}`;
}

/** Wrapper element of a request/response body: SalesOrderService + create → SalesOrderServiceCreateRequest. */
export const wrapperOf = (service: string, operation: string, kind: 'Request' | 'Response') =>
  `${service}${operation.charAt(0).toUpperCase()}${operation.slice(1)}${kind}`;
