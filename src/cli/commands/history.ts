export { recordHistory } from '../../services/history.service.ts';
