import type { DimKind, EdmType, EntitySetDef, OnecSources, RegisterDef } from './onec-sources.js';

/**
 * `$metadata` (EDMX, OData v3 CSDL: http://www.odata.org/documentation/odata-version-3-0/common-schema-definition-language-csdl/)
 * and the service document for the emulated infobase, in the layout 1C publishes: namespace StandardODATA, one
 * EntityType per object, `…_RowType` complex types for tabular sections, `…_RecordType` for register records and
 * bindable functions for virtual tables (Balance, SliceLast).
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function props(list: Array<[string, EdmType]>, key = false): string {
  return list.map(([n, t]) => `<Property Name="${esc(n)}" Type="${t}" Nullable="${key && n === 'Ref_Key' ? 'false' : 'true'}"/>`).join('');
}

export function dimFields(dims: Array<{ name: string; kind: DimKind }>): Array<[string, EdmType]> {
  return dims.flatMap((d): Array<[string, EdmType]> =>
    d.kind === 'ref' ? [[`${d.name}_Key`, 'Edm.Guid']] : d.kind === 'composite' ? [[d.name, 'Edm.String'], [`${d.name}_Type`, 'Edm.String']] : [[d.name, 'Edm.String']]);
}

function entityType(set: EntitySetDef): string {
  const tables = Object.entries(set.tables ?? {});
  const key = set.keyed ? '<Key><PropertyRef Name="Ref_Key"/></Key>' : '';
  const tableProps = tables.map(([t]) => `<Property Name="${esc(t)}" Type="Collection(StandardODATA.${esc(`${set.name}_${t}_RowType`)})" Nullable="false"/>`).join('');
  const complex = tables.map(([t, rows]) => `<ComplexType Name="${esc(`${set.name}_${t}_RowType`)}">${props(rows)}</ComplexType>`).join('');
  return `<EntityType Name="${esc(set.name)}">${key}${props(set.props, true)}${tableProps}</EntityType>${complex}`;
}

const ACCOUNTING_DIMS: Array<[string, EdmType]> = [
  ['Account_Key', 'Edm.Guid'], ['ExtDimension1', 'Edm.String'], ['ExtDimension1_Type', 'Edm.String'], ['ExtDimension2', 'Edm.String'], ['ExtDimension2_Type', 'Edm.String'],
  ['ExtDimension3', 'Edm.String'], ['ExtDimension3_Type', 'Edm.String'], ['Организация_Key', 'Edm.Guid'], ['Валюта_Key', 'Edm.Guid'],
];

function accountingTypes(r: RegisterDef): string {
  const record: Array<[string, EdmType]> = [['Recorder', 'Edm.Guid'], ['Recorder_Type', 'Edm.String'], ['Period', 'Edm.DateTime'], ['LineNumber', 'Edm.Int64'], ['Active', 'Edm.Boolean'],
    ...ACCOUNTING_DIMS, ...r.resources.map((x): [string, EdmType] => [x, 'Edm.Double'])];
  const balance: Array<[string, EdmType]> = [...ACCOUNTING_DIMS, ...r.resources.flatMap((x): Array<[string, EdmType]> => [[`${x}Balance`, 'Edm.Double'], [`${x}BalanceDr`, 'Edm.Double'], [`${x}BalanceCr`, 'Edm.Double']])];
  return `<EntityType Name="${esc(`${r.name}_RecordType`)}">${props(record)}</EntityType><EntityType Name="${esc(`${r.name}_Balance`)}">${props(balance)}</EntityType>`;
}

function registerTypes(r: RegisterDef): string {
  if (r.kind === 'accounting') return accountingTypes(r);
  const dims = dimFields(r.dims);
  const resources: Array<[string, EdmType]> = r.resources.map((x) => [x, 'Edm.Double']);
  const record: Array<[string, EdmType]> = [['Recorder', 'Edm.Guid'], ['Recorder_Type', 'Edm.String'], ['Period', 'Edm.DateTime'], ['LineNumber', 'Edm.Int64'], ['Active', 'Edm.Boolean'],
    ...(r.kind === 'accumulation' ? ([['RecordType', 'Edm.String']] as Array<[string, EdmType]>) : []), ...dims, ...resources, ...(r.attrs ?? [])];
  const virtual = r.kind === 'accumulation'
    ? `<EntityType Name="${esc(`${r.name}_Balance`)}">${props([...dims, ...r.resources.map((x): [string, EdmType] => [`${x}Balance`, 'Edm.Double'])])}</EntityType>`
    : `<EntityType Name="${esc(`${r.name}_SliceLast`)}">${props(record)}</EntityType>`;
  return `<EntityType Name="${esc(`${r.name}_RecordType`)}">${props(record)}</EntityType>${r.kind === 'information' ? `<EntityType Name="${esc(r.name)}">${props(record)}</EntityType>` : ''}${virtual}`;
}

export function renderMetadata(sources: OnecSources): string {
  const types = [...sources.sets.map(entityType), ...sources.registers.map(registerTypes)].join('');
  const sets = [
    ...sources.sets.map((s) => `<EntitySet Name="${esc(s.name)}" EntityType="StandardODATA.${esc(s.name)}"/>`),
    ...sources.registers.flatMap((r) => [
      ...(r.kind === 'information' ? [`<EntitySet Name="${esc(r.name)}" EntityType="StandardODATA.${esc(r.name)}"/>`] : []),
      `<EntitySet Name="${esc(`${r.name}_RecordType`)}" EntityType="StandardODATA.${esc(`${r.name}_RecordType`)}"/>`,
    ]),
  ].join('');
  const functions = sources.registers.map((r) => {
    const fn = r.kind === 'information' ? 'SliceLast' : 'Balance';
    const params = r.kind === 'accounting'
      ? '<Parameter Name="Period" Type="Edm.DateTime"/><Parameter Name="AccountCondition" Type="Edm.String"/><Parameter Name="Condition" Type="Edm.String"/><Parameter Name="ExtraDimensions" Type="Edm.String"/>'
      : r.kind === 'accumulation'
      ? '<Parameter Name="Period" Type="Edm.DateTime"/><Parameter Name="Condition" Type="Edm.String"/><Parameter Name="Dimensions" Type="Edm.String"/>'
      : '<Parameter Name="Period" Type="Edm.DateTime"/><Parameter Name="Condition" Type="Edm.String"/>';
    return `<FunctionImport Name="${fn}" ReturnType="Collection(StandardODATA.${esc(`${r.name}_${fn}`)})" IsBindable="true" m:IsAlwaysBindable="true">`
      + `<Parameter Name="bindingParameter" Type="Collection(StandardODATA.${esc(`${r.name}_RecordType`)})"/>${params}</FunctionImport>`;
  }).join('');
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + '<edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" Version="1.0">'
    + '<edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" m:DataServiceVersion="3.0" m:MaxDataServiceVersion="3.0">'
    + `<Schema xmlns="http://schemas.microsoft.com/ado/2009/11/edm" Namespace="StandardODATA">${types}`
    + `<EntityContainer Name="EnterpriseV8" m:IsDefaultEntityContainer="true">${sets}${functions}</EntityContainer>`
    + '</Schema></edmx:DataServices></edmx:Edmx>';
}

export function serviceDocumentNames(sources: OnecSources): string[] {
  return [
    ...sources.sets.map((s) => s.name),
    ...sources.registers.flatMap((r) => (r.kind === 'information' ? [r.name, `${r.name}_RecordType`] : [`${r.name}_RecordType`])),
  ];
}
