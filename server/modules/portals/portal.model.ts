import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface PortalRow {
  id: number;
  member_id: string;
  domain: string;
  protocol: string;
  server_endpoint: string | null;
  client_endpoint: string | null;
  access_token_sealed: string | null;
  refresh_token_sealed: string | null;
  application_token_sealed: string | null;
  token_expires_at: Date | null;
  token_user_id: number | null;
  scope: string | null;
  app_status: string | null;
  status: string;
  install_finished: boolean;
  app_version: number | null;
  manifest_version: number | null;
  language_id: string | null;
  settings: string;
  installed_at: Date | null;
  uninstalled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type PortalModel = ModelStatic<Model<PortalRow, Partial<PortalRow>>>;

export function portalModel(sequelize: Sequelize): PortalModel {
  if (sequelize.models.Portal) return sequelize.models.Portal as PortalModel;
  return sequelize.define<Model<PortalRow, Partial<PortalRow>>>(
    'Portal',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      member_id: DataTypes.STRING(64),
      domain: DataTypes.STRING(255),
      protocol: DataTypes.STRING(5),
      server_endpoint: DataTypes.STRING(512),
      client_endpoint: DataTypes.STRING(512),
      access_token_sealed: DataTypes.TEXT,
      refresh_token_sealed: DataTypes.TEXT,
      application_token_sealed: DataTypes.TEXT,
      token_expires_at: DataTypes.DATE,
      token_user_id: DataTypes.INTEGER,
      scope: DataTypes.STRING(1024),
      app_status: DataTypes.STRING(4),
      status: DataTypes.STRING(24),
      install_finished: DataTypes.BOOLEAN,
      app_version: DataTypes.INTEGER,
      manifest_version: DataTypes.INTEGER,
      language_id: DataTypes.STRING(8),
      settings: DataTypes.TEXT,
      installed_at: DataTypes.DATE,
      uninstalled_at: DataTypes.DATE,
      created_at: DataTypes.DATE,
      updated_at: DataTypes.DATE,
    },
    { tableName: 'portals', timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at' },
  );
}
