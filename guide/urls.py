from django.urls import include, path

from guide import api, views

routes = [
    path("", views.index, name="index"),
    path("sources/", views.sources, name="sources"),
    path("demarche/<slug:slug>/", views.step, name="step"),
    path("demarche/<slug:slug>/resultat/", views.result, name="result"),
    path("api/procedures/", api.procedure_list, name="api-list"),
    path("api/procedures/<slug:slug>/", api.procedure_detail, name="api-detail"),
    path("api/procedures/<slug:slug>/result", api.procedure_result, name="api-result"),
]

urlpatterns = [path("", include((routes, "guide")))]
