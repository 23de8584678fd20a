// ElMessage / ElMessageBox from their own modules (importing them from the
// 'element-plus' index would pull the whole library into the bundle), with CSS.
import { ElMessage } from 'element-plus/es/components/message/index.mjs';
import { ElMessageBox } from 'element-plus/es/components/message-box/index.mjs';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';

export { ElMessage, ElMessageBox };
