// ElMessage / ElMessageBox from their own modules (importing them from the
// 'element-plus' index would pull the whole library into the bundle), with CSS.
import { ElMessage } from 'element-plus/es/components/message/index.mjs';
import { ElMessageBox } from 'element-plus/es/components/message-box/index.mjs';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';

export { ElMessage, ElMessageBox };

/**
 * After a 409 version_conflict on save: load the record again into the form
 * and tell the user it changed under them. Returns false when the record could
 * not be loaded (the caller closes the form).
 */
export async function reloadChanged<T>(what: string, fetch: () => Promise<T>, fill: (fresh: T) => void): Promise<boolean> {
  try {
    fill(await fetch());
  } catch {
    return false;
  }
  await ElMessageBox.alert(
    `在您编辑期间，该${what}的信息已被其他人修改。表单已更新为最新数据，请核对后重新保存。`,
    '记录已变更',
    { type: 'warning', confirmButtonText: '知道了' },
  ).catch(() => undefined);
  return true;
}
