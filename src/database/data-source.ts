import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source.options';

/** For the TypeORM CLI (`npm run migration:revert`, `migration:show`): the same options as the app. */
export default new DataSource(buildDataSourceOptions(loadConfig().databaseUrl));
