"""Admin building blocks shared by the portal's apps."""


class ViewOnlyAdminMixin:
    """Records the portal writes itself (logs, issued documents, outbox): staff look, never add or edit.

    ``deletable = False`` forbids deleting as well; otherwise deleting follows the user's permission.
    """

    deletable = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)
