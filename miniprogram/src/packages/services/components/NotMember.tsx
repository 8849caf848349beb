import { ActionButton, Card, EmptyState } from '../../../components'
import { open, routes } from '../../../utils/routes'

/**
 * For someone who is not (yet) a verified resident, committee member or worker of the community a link points
 * to: what they can do about it, instead of a refusal with a retry that cannot help.
 */
export function NotMember({
  id,
  title = '暂不能查看',
  description = '认证本小区的房屋后，可以报事报修、查看本楼公共报修和服务评价。',
}: {
  id: string
  title?: string
  description?: string
}) {
  return (
    <Card>
      <EmptyState id={id} title={title} description={description}>
        <ActionButton onClick={() => open(routes.bindHousehold)}>绑定房屋</ActionButton>
      </EmptyState>
    </Card>
  )
}
