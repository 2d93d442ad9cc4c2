"""Document pages: the upload form and the download. Thin: the rules are in documents.services."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils.translation import gettext as _

from doorbraak.core.views_forms import form_page

from . import selectors, services
from .forms import DocumentForm


@login_required
def upload(request, case_id, owner, owner_id):
    target = selectors.upload_target(request.user, case_id, owner, owner_id)
    form = DocumentForm(request.POST or None, request.FILES or None)

    def save(form):
        d = form.cleaned_data
        return services.upload(
            request.user,
            case_id,
            target["owner_type"],
            owner_id,
            kind=d["kind"],
            file=d["file"],
            token=d["form_token"],
        )

    return form_page(
        request,
        form,
        template="documents/upload.html",
        context={"target": target, "case": target["case"], "max_mb": services.max_bytes() // (1024 * 1024)},
        save=save,
        done_message=lambda result: _("Het document is opgeslagen.") + " " + result[1],
        redirect_to=target["back"],
    )


@login_required
def download(request, case_id, pk):
    document, handle = services.open_document(request.user, case_id, pk)
    response = FileResponse(handle, as_attachment=True, filename=document.file_name, content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
